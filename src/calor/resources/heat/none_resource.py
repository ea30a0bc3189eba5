"""OS::Heat::None: a placeholder that does nothing."""

from __future__ import annotations

import uuid

from calor.resources.base import Resource
from calor.template.schema import SupportStatus


class NoneResource(Resource):
    """Stands in for any other resource type, doing nothing.

    Map a type to it in the resource_registry to switch a resource off: it
    takes any properties and ignores them, answers None for any attribute,
    and is never replaced on update.
    """

    type_name = "OS::Heat::None"
    support_status = SupportStatus(version="5.0.0")
    accepts_any_property = True
    accepts_any_attribute = True
    local_only = True

    async def create(self) -> None:
        # As Heat: a fresh UUID, so get_resource yields an id, not the name.
        # (Heat also marks the data "is_placeholder"; that flag only matters
        # to a delete through the replaced type's client, which Calor never
        # does, so the extra commit is saved.)
        await self.ctx.set_physical_resource_id(str(uuid.uuid4()))
