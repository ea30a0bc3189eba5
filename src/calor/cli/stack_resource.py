"""``calor stack resource show|metadata|signal`` and ``stack event show``."""

from __future__ import annotations
