"""OS::Heat::HARestarter: a removed type kept as a do-nothing placeholder."""

from __future__ import annotations

from calor.resources.heat.none_resource import NoneResource
from calor.template.schema import Support, SupportStatus


class Restarter(NoneResource):
    """A placeholder for the removed HARestarter type: it does nothing.

    Stacks that still contain one keep working; like OS::Heat::None it takes
    any properties and ignores them. Use the mark-unhealthy API and a stack
    update to replace a failed resource instead.
    """

    type_name = "OS::Heat::HARestarter"
    support_status = SupportStatus(
        Support.HIDDEN,
        version="10.0.0",
        message=(
            "The HARestarter resource type has been removed; existing resources of "
            "this type remain as placeholders that do nothing."
        ),
        previous_status=SupportStatus(
            Support.DEPRECATED,
            version="2015.1",
            message=(
                "HARestarter is deprecated: it deletes and recreates servers and "
                "everything that depends on them. Mark the resource unhealthy and "
                "update the stack instead."
            ),
        ),
    )
