"""The ``OS::Neutron::*`` resource types (networking), one module each."""

from __future__ import annotations

from calor.resources.openstack.neutron.floating_ip import FloatingIP
from calor.resources.openstack.neutron.floating_ip_association import FloatingIPAssociation
from calor.resources.openstack.neutron.net import Net
from calor.resources.openstack.neutron.port import Port
from calor.resources.openstack.neutron.router import Router
from calor.resources.openstack.neutron.router_interface import RouterInterface
from calor.resources.openstack.neutron.security_group import SecurityGroup
from calor.resources.openstack.neutron.security_group_rule import SecurityGroupRule
from calor.resources.openstack.neutron.subnet import Subnet

__all__ = [
    "FloatingIP",
    "FloatingIPAssociation",
    "Net",
    "Port",
    "Router",
    "RouterInterface",
    "SecurityGroup",
    "SecurityGroupRule",
    "Subnet",
]
