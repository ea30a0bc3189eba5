"""``calor stack check|suspend|resume|cancel`` and ``stack hook poll|clear``."""

from __future__ import annotations
