"""Clients for the clouds Calor builds stacks in: openstacksdk connections, chosen from clouds.yaml.

Nothing here imports the rest of Calor. A :class:`Cloud` is what resource
plugins talk to; :func:`cloud_from_config` makes one from a clouds.yaml
entry (``--os-cloud``, ``CALOR_CLOUD``, ``OS_CLOUD``); the embedded
sandbox is wired up by :mod:`calor.service.sandbox_backend`.
"""

from __future__ import annotations

from calor.clouds.cloud import ApiResponse, Cloud
from calor.clouds.errors import (
    BadRequest,
    CloudConfigError,
    CloudError,
    CloudUnreachable,
    Conflict,
    Forbidden,
    HttpError,
    InternalServerError,
    NotFound,
    OverLimit,
    Unauthorized,
)
from calor.clouds.selection import CLOUD_VARIABLES, chosen_cloud_name, cloud_from_config
from calor.clouds.thread_pool import DEFAULT_CLOUD_THREADS, ThreadPool, cloud_threads

__all__ = [
    "CLOUD_VARIABLES",
    "DEFAULT_CLOUD_THREADS",
    "ApiResponse",
    "BadRequest",
    "Cloud",
    "CloudConfigError",
    "CloudError",
    "CloudUnreachable",
    "Conflict",
    "Forbidden",
    "HttpError",
    "InternalServerError",
    "NotFound",
    "OverLimit",
    "ThreadPool",
    "Unauthorized",
    "chosen_cloud_name",
    "cloud_from_config",
    "cloud_threads",
]
