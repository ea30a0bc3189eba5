"""The properties and attributes of OS::Nova::Server, as Heat 27 declares them."""

from __future__ import annotations

from typing import Any

from calor.resources.heat.deployed_server import (
    DEFAULT_SOFTWARE_CONFIG_TRANSPORT,
    SOFTWARE_CONFIG_TRANSPORTS,
)
from calor.resources.openstack.base import with_show
from calor.resources.openstack.neutron.port import EXTRA_PROPERTIES
from calor.template.constraints import AllowedValues, CustomConstraint, Length, Range
from calor.template.schema import (
    AttributeSchema,
    AttributeType,
    CacheMode,
    PropertySchema,
    PropertyType,
    Support,
    SupportStatus,
)

#: How ``user_data`` reaches the server.
USER_DATA_FORMATS = ("HEAT_CFNTOOLS", "RAW", "SOFTWARE_CONFIG")
#: Heat's ``default_user_data_format``.
DEFAULT_USER_DATA_FORMAT = "HEAT_CFNTOOLS"


def _string(description: str, *constraints: str, **options: Any) -> PropertySchema:
    return PropertySchema(PropertyType.STRING, description,
                          constraints=[CustomConstraint(c) for c in constraints], **options)


def _hidden_since(version: str, deprecated: str, message: str | None = None,
                  first: str | None = None) -> SupportStatus:
    return SupportStatus(
        Support.HIDDEN, version=version, message=message,
        previous_status=SupportStatus(
            Support.DEPRECATED, version=deprecated,
            previous_status=SupportStatus(version=first) if first else None))


_BLOCK_DEVICE_MAPPING = PropertySchema(PropertyType.MAP, schema={
    "device_name": PropertySchema(
        PropertyType.STRING, "The device the volume appears as (/dev/<name>; vda, "
        "typically).", required=True),
    "volume_id": _string("The id of the volume to boot from (or give snapshot_id).",
                         "cinder.volume"),
    "snapshot_id": _string("The id of the snapshot to make the volume from.",
                           "cinder.snapshot"),
    "volume_size": PropertySchema(PropertyType.INTEGER, "The volume's size in GB (unset: "
                                  "Nova works it out)."),
    "delete_on_termination": PropertySchema(
        PropertyType.BOOLEAN, "Delete the volume when the server goes."),
})

_BLOCK_DEVICE_MAPPING_V2 = PropertySchema(PropertyType.MAP, schema={
    "device_name": PropertySchema(PropertyType.STRING, "The device the volume appears as "
                                  "(/dev/<name>; vda, typically)."),
    "volume_id": _string("The id of a volume to attach, to boot from or not.",
                         "cinder.volume"),
    "image_id": _string("The id of the image to make a volume from.", "glance.image",
                        support_status=_hidden_since("9.0.0", "7.0.0", "Use property image.",
                                                     "5.0.0")),
    "image": _string("The name or id of the image to make a volume from.", "glance.image",
                     support_status=SupportStatus(version="7.0.0")),
    "snapshot_id": _string("The id of the snapshot to make a volume from.",
                           "cinder.snapshot"),
    "swap_size": PropertySchema(PropertyType.INTEGER, "The size of a swap device, in MB."),
    "ephemeral_size": PropertySchema(
        PropertyType.INTEGER, "The size of a local ephemeral device, in GB.",
        constraints=[Range(min=1)], support_status=SupportStatus(version="8.0.0")),
    "ephemeral_format": PropertySchema(
        PropertyType.STRING, "The file system of the local ephemeral device (unset: "
        "Nova's default).", constraints=[AllowedValues(["ext2", "ext3", "ext4", "xfs",
                                                         "ntfs"])],
        support_status=SupportStatus(version="8.0.0")),
    "device_type": PropertySchema(PropertyType.STRING, "disk or cdrom.",
                                  constraints=[AllowedValues(["cdrom", "disk"])]),
    "disk_bus": PropertySchema(
        PropertyType.STRING, "The bus of the device (unset: the hypervisor chooses).",
        constraints=[AllowedValues(["ide", "lame_bus", "sata", "scsi", "usb", "virtio"])]),
    "boot_index": PropertySchema(
        PropertyType.INTEGER, "The order to boot from (unset: 0 for a volume, snapshot or "
        "image; -1 for the others)."),
    "volume_size": PropertySchema(PropertyType.INTEGER, "The device's size in GB (unset: "
                                  "the hypervisor works it out)."),
    "delete_on_termination": PropertySchema(
        PropertyType.BOOLEAN, "Delete the volume when the server goes (unset: false for "
        "a volume, snapshot or image; true for swap and ephemeral)."),
    "volume_type": _string("The volume type of a volume made from an image, snapshot or "
                           "nothing (compute microversion 2.67 and later).", "cinder.vtype",
                           support_status=SupportStatus(version="26.0.0")),
})

_NETWORK = PropertySchema(PropertyType.MAP, schema={
    "uuid": _string("The id of the network to make a port on.", "neutron.network",
                    support_status=SupportStatus(
                        Support.HIDDEN, version="5.0.0",
                        previous_status=SupportStatus(Support.DEPRECATED, version="2014.1",
                                                      message="Use property network."))),
    "network": _string("The name or id of the network to make a port on.",
                       "neutron.network"),
    "allocate_network": PropertySchema(
        PropertyType.STRING,
        "auto: a network the project has (made for it if need be); none: no network at "
        "all (compute microversion 2.37 and later; alone in networks).",
        constraints=[AllowedValues(["none", "auto"])], update_allowed=True,
        support_status=SupportStatus(version="9.0.0")),
    "fixed_ip": _string("The fixed IP for the port made on the network.", "ip_addr"),
    "port": _string("The id of an existing port for the server.", "neutron.port"),
    "port_extra_properties": PropertySchema(
        PropertyType.MAP, "More properties for the port made for the server (not with "
        "port).", schema=EXTRA_PROPERTIES, update_allowed=True,
        support_status=SupportStatus(version="6.0.0")),
    "subnet": PropertySchema(
        PropertyType.STRING, "The subnet to take the port's address from (then network "
        "may be left out).", support_status=SupportStatus(version="5.0.0")),
    "floating_ip": PropertySchema(
        PropertyType.STRING, "The id of a floating IP to put on the port.",
        support_status=SupportStatus(version="6.0.0")),
    "tag": PropertySchema(
        PropertyType.STRING, "A tag for the interface (an update of it is ignored, as Nova "
        "cannot change it).", support_status=SupportStatus(version="9.0.0")),
})


def _swift_name(what: str) -> PropertySchema:
    return PropertySchema(PropertyType.STRING, f"The {what}'s name.",
                          constraints=[Length(min=1)])


PROPERTIES: dict[str, PropertySchema] = {
    "name": PropertySchema(PropertyType.STRING, "The server's name.", update_allowed=True),
    "image": _string("The name or id of the image to boot.", "glance.image",
                     update_allowed=True),
    "block_device_mapping": PropertySchema(
        PropertyType.LIST, "Volumes to attach (the first version of block device "
        "mappings).", schema=_BLOCK_DEVICE_MAPPING),
    "block_device_mapping_v2": PropertySchema(
        PropertyType.LIST, "Block devices for the server: volumes, volumes made from "
        "images or snapshots, swap, ephemeral disks.", schema=_BLOCK_DEVICE_MAPPING_V2,
        support_status=SupportStatus(version="2015.1")),
    "flavor": _string("The name or id of the flavor.", "nova.flavor", required=True,
                      update_allowed=True),
    "flavor_update_policy": PropertySchema(
        PropertyType.STRING, "How a new flavor is applied: RESIZE the server, or REPLACE it.",
        default="RESIZE", constraints=[AllowedValues(["RESIZE", "REPLACE"])],
        update_allowed=True),
    "image_update_policy": PropertySchema(
        PropertyType.STRING, "How a new image is applied: REBUILD the server (keeping its "
        "ephemeral disks with REBUILD_PRESERVE_EPHEMERAL), or REPLACE it.",
        default="REBUILD",
        constraints=[AllowedValues(["REBUILD", "REPLACE", "REBUILD_PRESERVE_EPHEMERAL"])],
        update_allowed=True),
    "key_name": _string("The name of the key pair to inject.", "nova.keypair"),
    "admin_user": PropertySchema(
        PropertyType.STRING, "The administrative user to make on the server.",
        support_status=_hidden_since(
            "5.0.0", "2014.1", "The image's own default cloud-init user is used.",
            "2013.2")),
    "availability_zone": PropertySchema(PropertyType.STRING,
                                        "The availability zone to place the server in."),
    "security_groups": PropertySchema(
        PropertyType.LIST, "Names or ids of security groups (not with ports in networks: "
        "give the ports their groups).", default=[]),
    "networks": PropertySchema(
        PropertyType.LIST, "The server's interfaces, in order: networks, ports, subnets, "
        "fixed IPs.", schema=_NETWORK, update_allowed=True),
    "scheduler_hints": PropertySchema(PropertyType.MAP,
                                      "Key/value hints for the scheduler (group: ...)."),
    "metadata": PropertySchema(
        PropertyType.MAP, "Key/value metadata for the server (keys and values up to 255 "
        "characters; other values than strings are sent as JSON).", update_allowed=True,
        default={}),
    "user_data_format": PropertySchema(
        PropertyType.STRING, "How user_data is given to the server: RAW as it is; "
        "HEAT_CFNTOOLS and SOFTWARE_CONFIG inside a multi-part message with the "
        "resource's metadata.", default=DEFAULT_USER_DATA_FORMAT,
        constraints=[AllowedValues(USER_DATA_FORMATS)]),
    "software_config_transport": PropertySchema(
        PropertyType.STRING, "How the server's agent fetches its deployment metadata.",
        default=DEFAULT_SOFTWARE_CONFIG_TRANSPORT, update_allowed=True,
        constraints=[AllowedValues(SOFTWARE_CONFIG_TRANSPORTS)]),
    "user_data_update_policy": PropertySchema(
        PropertyType.STRING, "How a new user_data is applied: REPLACE the server, "
        "IGNORE it, or REBUILD the server.", default="REPLACE",
        constraints=[AllowedValues(["REPLACE", "IGNORE", "REBUILD"])],
        update_allowed=True, support_status=SupportStatus(version="6.0.0")),
    "user_data": PropertySchema(
        PropertyType.STRING, "The user data script for cloud-init (a change replaces the "
        "server unless user_data_update_policy says otherwise).", default="",
        update_allowed=True),
    "reservation_id": PropertySchema(PropertyType.STRING,
                                     "An id for the set of servers requested."),
    "config_drive": PropertySchema(PropertyType.BOOLEAN, "Give the server a config drive."),
    "diskConfig": PropertySchema(
        PropertyType.STRING, "How the disk is partitioned at create.",
        constraints=[AllowedValues(["AUTO", "MANUAL"])]),
    "personality": PropertySchema(
        PropertyType.MAP, "Files to write on the server at boot, by path (not with compute "
        "microversion 2.57 and later).", default={},
        support_status=SupportStatus(
            Support.DEPRECATED, version="12.0.0",
            message="Nova dropped personality files at compute microversion 2.57; use "
                    "user_data or metadata.")),
    "admin_pass": PropertySchema(PropertyType.STRING, "The administrator password.",
                                 update_allowed=True),
    "tags": PropertySchema(
        PropertyType.LIST, "The server's tags (compute microversion 2.26 and later).",
        schema=PropertySchema(PropertyType.STRING), update_allowed=True,
        support_status=SupportStatus(version="8.0.0")),
    "deployment_swift_data": PropertySchema(
        PropertyType.MAP, "The Swift container and object of the deployment data with "
        "POLL_TEMP_URL.", default={}, update_allowed=True,
        schema={"container": _swift_name("container"), "object": _swift_name("object")},
        support_status=SupportStatus(version="9.0.0")),
}


def _attr(description: str, kind: AttributeType | None = None, *,
          status: SupportStatus | None = None,
          cache_mode: CacheMode = CacheMode.LOCAL) -> AttributeSchema:
    return AttributeSchema(description, type=kind, support_status=status or SupportStatus(),
                           cache_mode=cache_mode)


ATTRIBUTES = with_show({
    "name": _attr("The server's name.", AttributeType.STRING),
    "addresses": _attr(
        "The server's addresses by network name and by network id, each with its port, "
        "subnets and network (``{get_attr: [<server>, addresses, <net>, 0, port]}``).",
        AttributeType.MAP,
        status=SupportStatus(version="11.0.0",
                             message="Now with the subnets and network of each address.",
                             previous_status=SupportStatus())),
    "networks": _attr("The server's IP addresses by network name and by network id.",
                      AttributeType.MAP),
    "first_address": _attr(
        "The first address of the server ('' when it has none).",
        status=_hidden_since("5.0.0", "2014.2",
                             "Use the networks attribute, e.g. {get_attr: [<server>, "
                             "networks, <network name>, 0]}.", "2013.2")),
    "instance_name": _attr("The hypervisor's name for the server.", AttributeType.STRING),
    "accessIPv4": _attr("The IPv4 address set by hand as the server's public one.",
                        AttributeType.STRING,
                        status=SupportStatus(Support.DEPRECATED, version="14.0.0",
                                             previous_status=SupportStatus(version="2015.1"))),
    "accessIPv6": _attr("The IPv6 address set by hand as the server's public one.",
                        AttributeType.STRING,
                        status=SupportStatus(Support.DEPRECATED, version="14.0.0",
                                             previous_status=SupportStatus(version="2015.1"))),
    "console_urls": _attr("The URLs of the server's consoles by type "
                          "(``{get_attr: [<server>, console_urls, novnc]}``).",
                          AttributeType.MAP, status=SupportStatus(version="2015.1")),
    "tags": _attr("The server's tags.", AttributeType.LIST,
                  status=SupportStatus(version="8.0.0")),
    "os_collect_config": _attr("The settings os-collect-config on the server uses to fetch "
                               "deployment data.", AttributeType.MAP,
                               status=SupportStatus(version="9.0.0"),
                               cache_mode=CacheMode.NONE),
})
