"""The ``OS::Swift::*`` resource types (object storage)."""

from __future__ import annotations

from calor.resources.openstack.swift.container import SwiftContainer

__all__ = ["SwiftContainer"]
