"""The identity API (Keystone v3 subset): :func:`identity_router`, mounted at ``/identity``."""

from __future__ import annotations

from calor.api.identity.router import identity_router

__all__ = ["identity_router"]
