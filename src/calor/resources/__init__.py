"""Resource plugins: the base class, the type registry and the built-in types.

This package may import :mod:`calor.template`; the template language never
imports it, and sees resource types only through
:class:`calor.template.schema.TypeSchemas`.
"""

from __future__ import annotations

from calor.resources.base import Resource
from calor.resources.registry import (
    ENTRY_POINT_GROUP,
    PluginValidationError,
    ResourceTypeRegistry,
    default_registry,
)

__all__ = [
    "ENTRY_POINT_GROUP",
    "PluginValidationError",
    "Resource",
    "ResourceTypeRegistry",
    "default_registry",
]
