"""The ``OS::Cinder::*`` resource types (block storage), one module each."""

from __future__ import annotations

from calor.resources.openstack.cinder.volume import CinderVolume
from calor.resources.openstack.cinder.volume_attachment import CinderVolumeAttachment

__all__ = ["CinderVolume", "CinderVolumeAttachment"]
