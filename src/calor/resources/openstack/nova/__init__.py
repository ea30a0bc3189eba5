"""The ``OS::Nova::*`` resource types (compute), one module each."""

from __future__ import annotations

from calor.resources.openstack.nova.flavor import NovaFlavor
from calor.resources.openstack.nova.keypair import KeyPair
from calor.resources.openstack.nova.server import Server
from calor.resources.openstack.nova.server_group import ServerGroup

__all__ = ["KeyPair", "NovaFlavor", "Server", "ServerGroup"]
