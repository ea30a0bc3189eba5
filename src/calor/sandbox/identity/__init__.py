"""The sandbox's own small Keystone v3, served at ``/identity`` when no validator is given."""

from __future__ import annotations

from fastapi import APIRouter

from calor.sandbox.errors import keystone_error
from calor.sandbox.identity import auth_routes, resource_routes
from calor.sandbox.identity.directory import Directory
from calor.sandbox.identity.tokens import SandboxTokenValidator
from calor.sandbox.types import CatalogEntry, ServicePlug

__all__ = ["Directory", "SandboxTokenValidator", "service"]


def service(directory: Directory) -> ServicePlug:
    def router() -> APIRouter:
        routes = APIRouter()
        routes.include_router(auth_routes.router(directory))
        routes.include_router(resource_routes.router(directory))
        return routes

    return ServicePlug(
        name="identity", mount="/identity",
        catalog=(CatalogEntry("identity", "keystone", "/identity"),),
        errors=keystone_error, router=router,
    )
