"""``calor stack snapshot ...``, ``abandon``, ``adopt``, ``export``, ``preview``.

Also ``stack template show`` and ``stack environment show``.
"""

from __future__ import annotations
