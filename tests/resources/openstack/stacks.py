"""Running a stack to its end in the sandbox, for the OpenStack resource tests."""

from __future__ import annotations

import textwrap
from typing import Any

from calor.service.stacks import StackService
from calor.store.records import ResourceRecord, StackRecord
from calor.template.loader import load_template


def template(text: str) -> dict[str, Any]:
    return load_template(textwrap.dedent(text))


async def finished(service: StackService, stack: StackRecord) -> StackRecord:
    done = await service.wait(stack.id, timeout=60)
    assert done is not None
    return done


async def create(service: StackService, name: str, text: str, *,
                 rollback: bool = False, **parameters: Any) -> StackRecord:
    """Create ``name`` from ``text`` and wait for the end of the CREATE."""
    stack = await service.create_stack(name, template(text), parameters=parameters,
                                       disable_rollback=not rollback)
    return await finished(service, stack)


async def update(service: StackService, stack: StackRecord, text: str,
                 **parameters: Any) -> StackRecord:
    started = await service.update_stack(stack.id, template(text), parameters=parameters)
    return await finished(service, started)


async def delete(service: StackService, stack: StackRecord) -> None:
    await service.delete_stack(stack.id)
    assert await service.wait(stack.id, timeout=60) is None


async def rows(service: StackService, stack: StackRecord) -> dict[str, ResourceRecord]:
    """The stack's current resources by name (replaced ones left out)."""
    return {r.name: r for r in await service.resources(stack) if r.replaced_by is None}


async def ids(service: StackService, stack: StackRecord) -> dict[str, str]:
    """The physical ids of the stack's current resources, by name (each has one)."""
    found = {}
    for name, row in (await rows(service, stack)).items():
        assert row.physical_resource_id is not None, name
        found[name] = row.physical_resource_id
    return found


async def outputs(service: StackService, stack: StackRecord) -> dict[str, Any]:
    return {o["output_key"]: o.get("output_value") for o in await service.outputs(stack)}


def status(stack: StackRecord) -> str:
    return f"{stack.action}_{stack.status}"
