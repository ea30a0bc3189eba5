"""The sandbox cloud: a local server speaking Keystone v3, Nova, Neutron, Glance (and more).

It imports nothing of Calor but :mod:`calor.identity.context`: Calor's engine
reaches it only over HTTP, through openstacksdk, as it reaches a real cloud.
"""

from __future__ import annotations

from calor.sandbox.app import catalog_services, create_app
from calor.sandbox.config import (
    ConfigError,
    FaultRule,
    SandboxConfig,
    UserConfig,
    default_state_file,
    load_config,
)

__all__ = [
    "ConfigError",
    "FaultRule",
    "SandboxConfig",
    "UserConfig",
    "catalog_services",
    "create_app",
    "default_state_file",
    "load_config",
]
