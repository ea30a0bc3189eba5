"""Environment hooks: breakpoints before a resource's create, update or delete."""

from __future__ import annotations

from calor.engine.states import Action
from calor.resources.lifecycle import ResourceContext
from calor.store import Store
from calor.store.records import ResourceRecord, StackRecord
from calor.template.stack_definition import StackDefinition


async def wait_for_hooks(
    store: Store, stack: StackRecord, row: ResourceRecord,
    definition: StackDefinition | None, action: Action, ctx: ResourceContext,
) -> None:
    """Return once no hook of the environment holds ``row``'s ``action``."""
