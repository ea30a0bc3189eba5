"""Choosing the cloud: ``--os-cloud NAME``, ``CALOR_CLOUD`` or ``OS_CLOUD``, from clouds.yaml.

The entry is read with openstacksdk's own config loader, so clouds.yaml is
found where the ``openstack`` command finds it (``./clouds.yaml``,
``~/.config/openstack/clouds.yaml``, ``/etc/openstack/clouds.yaml``, or
``OS_CLIENT_CONFIG_FILE``), with ``secure.yaml`` merged in. When no name
is given anywhere, the caller falls back to the built-in sandbox.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from calor.clouds.cloud import Cloud
from calor.clouds.errors import CloudConfigError
from calor.clouds.thread_pool import ThreadPool

if TYPE_CHECKING:
    from openstack.config.cloud_region import CloudRegion
    from openstack.connection import Connection

#: Where a cloud name is looked for, first match wins (after ``--os-cloud``).
CLOUD_VARIABLES = ("CALOR_CLOUD", "OS_CLOUD")


def chosen_cloud_name(explicit: str | None = None,
                      env: Mapping[str, str] | None = None) -> str | None:
    """``explicit`` (``--os-cloud``), else ``CALOR_CLOUD``, else ``OS_CLOUD``; None for none."""
    if explicit:
        return explicit
    env = os.environ if env is None else env
    for variable in CLOUD_VARIABLES:
        if env.get(variable):
            return env[variable]
    return None


def cloud_region(name: str, *, config_files: Sequence[str] | None = None) -> CloudRegion:
    """The clouds.yaml entry ``name``; CloudConfigError when there is none."""
    from keystoneauth1 import exceptions as ksa_exceptions
    from openstack import exceptions as sdk_exceptions
    from openstack.config.loader import OpenStackConfig

    try:
        with warnings.catch_warnings():
            # The loader warns about its own deprecated options while it reads.
            warnings.simplefilter("ignore", DeprecationWarning)
            warnings.simplefilter("ignore", PendingDeprecationWarning)
            config = OpenStackConfig(config_files=list(config_files) if config_files else None)
            return config.get_one(cloud=name)
    except (sdk_exceptions.SDKException, ksa_exceptions.ClientException) as exc:
        raise CloudConfigError(str(exc)) from None


def cloud_from_config(name: str, *, config_files: Sequence[str] | None = None,
                      pool: ThreadPool | None = None) -> Cloud:
    """The cloud ``name`` from clouds.yaml; refused at once when no entry has that name.

    Nothing is sent to the cloud until a stack needs it.
    """
    region = cloud_region(name, config_files=config_files)

    def connect() -> Connection:
        from openstack.connection import Connection

        return Connection(config=region)

    return Cloud(name, connect, pool=pool)


__all__ = ["CLOUD_VARIABLES", "chosen_cloud_name", "cloud_from_config", "cloud_region"]
