"""The ``OS::Glance::*`` resource types (images)."""

from __future__ import annotations

from calor.resources.openstack.glance.web_image import GlanceWebImage

__all__ = ["GlanceWebImage"]
