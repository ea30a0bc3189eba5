"""AWS::AutoScaling::LaunchConfiguration: how an AWS scaling group builds its instances."""

from __future__ import annotations

from calor.resources.aws.autoscaling_group import NOT_IMPLEMENTED
from calor.resources.base import Resource
from calor.template.constraints import CustomConstraint
from calor.template.schema import PropertySchema, PropertyType

#: The ``Ebs`` map of a block device mapping. Heat declares Iops and
#: VolumeType without implementing them; nested keys stay listed, as in Heat.
EBS_SCHEMA = {
    "DeleteOnTermination": PropertySchema(
        PropertyType.BOOLEAN, "Delete the volume when the instance goes.", default=True
    ),
    "Iops": PropertySchema(PropertyType.NUMBER, "Not implemented."),
    "SnapshotId": PropertySchema(
        PropertyType.STRING,
        "ID of the snapshot the volume is made from.",
        constraints=[CustomConstraint("cinder.snapshot")],
    ),
    "VolumeSize": PropertySchema(
        PropertyType.STRING,
        "Size of the volume in GB, at least the snapshot's; left out, Nova works it out.",
    ),
    "VolumeType": PropertySchema(PropertyType.STRING, "Not implemented."),
}

#: One entry of ``BlockDeviceMappings`` (NoDevice and VirtualName are not implemented).
BLOCK_DEVICE_MAPPING_SCHEMA = {
    "DeviceName": PropertySchema(
        PropertyType.STRING,
        "The device the volume appears as, under /dev (vdb, say).",
        required=True,
    ),
    "Ebs": PropertySchema(PropertyType.MAP, "The volume to attach.", schema=EBS_SCHEMA),
    "NoDevice": PropertySchema(PropertyType.MAP, "Not implemented."),
    "VirtualName": PropertySchema(PropertyType.STRING, "Not implemented."),
}

#: One entry of ``NovaSchedulerHints``.
SCHEDULER_HINT_SCHEMA = {
    "Key": PropertySchema(PropertyType.STRING, required=True),
    "Value": PropertySchema(PropertyType.STRING, required=True),
}


class LaunchConfiguration(Resource):
    """Describes the instances an AWS::AutoScaling::AutoScalingGroup creates.

    Image, flavor, key pair, user data and the rest are given directly, or
    copied from an existing server named by ``InstanceId``.
    """

    type_name = "AWS::AutoScaling::LaunchConfiguration"
    properties_schema = {
        "ImageId": PropertySchema(
            PropertyType.STRING,
            "The Glance image to boot, by ID or name.",
            constraints=[CustomConstraint("glance.image")],
        ),
        "InstanceType": PropertySchema(
            PropertyType.STRING,
            "The Nova flavor of the instances.",
            constraints=[CustomConstraint("nova.flavor")],
        ),
        "InstanceId": PropertySchema(
            PropertyType.STRING,
            "An existing server to take every setting but BlockDeviceMappings from.",
            constraints=[CustomConstraint("nova.server")],
        ),
        "KeyName": PropertySchema(
            PropertyType.STRING,
            "A Nova key pair to put on the instances.",
            constraints=[CustomConstraint("nova.keypair")],
        ),
        "UserData": PropertySchema(PropertyType.STRING, "User data for the instances."),
        "SecurityGroups": PropertySchema(
            PropertyType.LIST, "Names of the security groups the instances join."
        ),
        "KernelId": PropertySchema(
            PropertyType.STRING, "Not implemented.", support_status=NOT_IMPLEMENTED
        ),
        "RamDiskId": PropertySchema(
            PropertyType.STRING, "Not implemented.", support_status=NOT_IMPLEMENTED
        ),
        "BlockDeviceMappings": PropertySchema(
            PropertyType.LIST,
            "Volumes to attach to the instances.",
            schema=PropertySchema(PropertyType.MAP, schema=BLOCK_DEVICE_MAPPING_SCHEMA),
        ),
        "NovaSchedulerHints": PropertySchema(
            PropertyType.LIST,
            "Key/value hints for the Nova scheduler (a Heat extension).",
            schema=PropertySchema(PropertyType.MAP, schema=SCHEDULER_HINT_SCHEMA),
        ),
    }
