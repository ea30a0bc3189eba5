"""Raw templates: what the user sent, with files and environment, of any allowed size."""

from __future__ import annotations

import pytest

from calor.store import RawTemplateNotFound, Store


async def test_template_reads_back_with_files_and_environment(store: Store) -> None:
    created = await store.templates.create(
        {"heat_template_version": "2021-04-16", "resources": {}},
        files={"nested.yaml": "heat_template_version: 2021-04-16\n"},
        environment={"parameters": {"flavor": "m1.small"}},
    )
    assert await store.templates.get(created.id) == created


async def test_a_template_of_the_maximum_size_fits(store: Store) -> None:
    description = "é" * 600_000  # beyond 64 KiB TEXT, in multi-byte characters
    created = await store.templates.create({"description": description})
    assert (await store.templates.get(created.id)).template["description"] == description


async def test_template_parts_are_replaced(store: Store) -> None:
    created = await store.templates.create({"a": 1}, files={"f": "x"})
    await store.templates.update(created.id, files={"g": "y"})
    again = await store.templates.get(created.id)
    assert (again.template, again.files) == ({"a": 1}, {"g": "y"})


async def test_missing_template_is_not_found(store: Store) -> None:
    with pytest.raises(RawTemplateNotFound):
        await store.templates.get(999)
    with pytest.raises(RawTemplateNotFound):
        await store.templates.update(999, template={})
    assert not await store.templates.delete(999)
