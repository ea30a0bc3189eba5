"""``/software_configs`` and ``/software_deployments``: Heat's routes, not served yet.

Calor's store keeps a software config inside the resource that made it
(``OS::Heat::SoftwareConfig`` works in templates) but has no tables of
stand-alone configs and deployments yet, so these routes say so (400
NotSupported, Heat's answer for a feature it lacks) rather than 404.
"""

from __future__ import annotations

from fastapi import APIRouter, Response

from calor.api.errors import HeatFault

router = APIRouter(tags=["software configs"])

_ROUTES = (
    ("/software_configs", ("GET", "POST")),
    ("/software_configs/{config_id}", ("GET", "DELETE")),
    ("/software_deployments", ("GET", "POST")),
    ("/software_deployments/metadata/{server_id}", ("GET",)),
    ("/software_deployments/{deployment_id}", ("GET", "PUT", "DELETE")),
)


async def not_supported() -> Response:
    raise HeatFault(400, "Software configs and deployments API is not supported.",
                    error_type="NotSupported")


for _path, _methods in _ROUTES:
    for _method in _methods:
        router.add_api_route(
            _path, not_supported, methods=[_method], response_class=Response,
            name=f"software_{_method.lower()}_{_path.strip('/').replace('/', '_')}",
            summary="Not supported yet (400 NotSupported)",
        )
