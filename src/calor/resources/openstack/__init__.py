"""The OpenStack resource types (``OS::Neutron::*``, ``OS::Nova::*``, ``OS::Cinder::*``,
``OS::Glance::*``, ``OS::Swift::*``), driven through openstacksdk.

They reach the stack's cloud (``ctx.cloud``, a :class:`calor.clouds.Cloud`)
only over its REST APIs, so the same code builds stacks in a real OpenStack
cloud and in Calor's sandbox cloud.
"""

from __future__ import annotations

from calor.resources.base import Resource
from calor.resources.openstack.cinder import CinderVolume, CinderVolumeAttachment
from calor.resources.openstack.glance import GlanceWebImage
from calor.resources.openstack.neutron import (
    FloatingIP,
    FloatingIPAssociation,
    Net,
    Port,
    Router,
    RouterInterface,
    SecurityGroup,
    SecurityGroupRule,
    Subnet,
)
from calor.resources.openstack.nova import KeyPair, NovaFlavor, Server, ServerGroup
from calor.resources.openstack.swift import SwiftContainer

#: Every OpenStack type, as :func:`calor.resources.default_registry` registers them.
RESOURCE_TYPES: tuple[type[Resource], ...] = (
    CinderVolume,
    CinderVolumeAttachment,
    FloatingIP,
    FloatingIPAssociation,
    GlanceWebImage,
    KeyPair,
    Net,
    NovaFlavor,
    Port,
    Router,
    RouterInterface,
    SecurityGroup,
    SecurityGroupRule,
    Server,
    ServerGroup,
    Subnet,
    SwiftContainer,
)

__all__ = ["RESOURCE_TYPES"]
