"""Stack descriptions for listings, remembered: a stored template never changes.

Heat's stack list shows each stack's template description, which means
reading every listed stack's template. A raw template row is written once
and never updated, so what it says can be kept by its id; a listing of a
thousand stacks then reads only the templates it has not seen.
"""

from __future__ import annotations

from collections import OrderedDict

from starlette.requests import Request

from calor.api.orchestration.views import template_description
from calor.store import Store
from calor.store.records import StackRecord

#: Descriptions kept (least recently used go first).
DEFAULT_SIZE = 20_000


class TemplateDescriptions:
    """A bounded map from raw template id to the template's description."""

    def __init__(self, size: int = DEFAULT_SIZE) -> None:
        self.size = size
        self._known: OrderedDict[int, str] = OrderedDict()

    async def of(self, store: Store, stack: StackRecord) -> str:
        key = stack.raw_template_id
        found = self._known.get(key)
        if found is not None:
            self._known.move_to_end(key)
            return found
        raw = await store.templates.get(key)
        found = template_description(raw.template)
        self._known[key] = found
        if len(self._known) > self.size:
            self._known.popitem(last=False)
        return found


def descriptions(request: Request) -> TemplateDescriptions:
    """The application's cache (made on first use)."""
    state = request.app.state
    found = getattr(state, "template_descriptions", None)
    if not isinstance(found, TemplateDescriptions):
        found = state.template_descriptions = TemplateDescriptions()
    return found
