"""The base of every error an operation refuses a request with (the user's to fix).

The CLI prints such an error as ``ERROR: <message>`` and exits 1; the API
(later) answers it with Heat's error body and a 4xx status.
"""

from __future__ import annotations


class ServiceError(Exception):
    """A request the service refuses; ``str(exc)`` is the message for the user."""
