"""SoftwareConfig, StructuredConfig, CloudConfig, MultipartMime: the config each stores."""

from __future__ import annotations

import email
import json
import random
import uuid
from email.message import Message
from typing import Any

import pytest
from tests.resources.heat.lifecycle_context import ConfigLookupContext, InMemoryContext, make

from calor.resources.heat import CloudConfig, MultipartMime, SoftwareConfig, StructuredConfig
from calor.resources.heat.multipart_mime import is_uuid_like, make_boundary
from calor.resources.heat.software_config import CONFIG_DATA_KEY
from calor.resources.lifecycle import ResourceFailure


def stored(ctx: InMemoryContext) -> dict[str, Any]:
    record: dict[str, Any] = json.loads(ctx.data[CONFIG_DATA_KEY])
    return record


def parts_of(text: str) -> list[Message]:
    """The parts of a multi-part message."""
    payload = email.message_from_string(text).get_payload()
    assert isinstance(payload, list)
    return [part for part in payload if isinstance(part, Message)]


# -- SoftwareConfig ----------------------------------------------------------------------


async def test_create_records_a_config_id_as_the_physical_id() -> None:
    ctx = InMemoryContext("cfg", stack_name="s")
    await make(SoftwareConfig, ctx, config="#!/bin/sh").create()
    config_id = ctx.physical_resource_id
    assert config_id is not None
    assert str(uuid.UUID(config_id)) == config_id
    assert stored(ctx)["id"] == config_id
    assert stored(ctx)["name"] == "s-cfg-abcdefghijkl"


async def test_the_config_attribute_is_the_config_property() -> None:
    resource = make(SoftwareConfig, InMemoryContext(), config="#!/bin/sh\necho hi")
    await resource.create()
    assert await resource.resolve_attribute("config") == "#!/bin/sh\necho hi"


async def test_the_config_attribute_is_none_before_create() -> None:
    resource = make(SoftwareConfig, InMemoryContext(), config="x")
    assert await resource.resolve_attribute("config") is None


async def test_the_stored_record_has_heats_software_config_fields() -> None:
    ctx = InMemoryContext()
    await make(SoftwareConfig, ctx, config="x", group="script", options={"k": 1}).create()
    record = stored(ctx)
    assert {k: v for k, v in record.items() if k not in ("id", "name")} == {
        "group": "script",
        "config": "x",
        "inputs": [],
        "outputs": [],
        "options": {"k": 1},
    }


async def test_the_group_defaults_to_ungrouped() -> None:
    ctx = InMemoryContext()
    await make(SoftwareConfig, ctx).create()
    assert stored(ctx)["group"] == "Heat::Ungrouped"
    assert stored(ctx)["config"] is None


async def test_inputs_are_stored_as_heat_stores_them() -> None:
    ctx = InMemoryContext()
    inputs = [
        {"name": "plain"},
        {"name": "count", "type": "Number", "description": "How many"},
        {"name": "names", "type": "CommaDelimitedList", "default": "a,b"},
        {"name": "legacy", "type": "Number", "default": ""},
        {"name": "flag", "type": "Boolean", "default": "true", "replace_on_change": True},
    ]
    await make(SoftwareConfig, ctx, inputs=inputs).create()
    assert stored(ctx)["inputs"] == [
        {"name": "plain", "description": "", "type": "String", "default": ""},
        {"name": "count", "description": "How many", "type": "Number", "default": 0},
        {"name": "names", "description": "", "type": "CommaDelimitedList", "default": ["a", "b"]},
        {"name": "legacy", "description": "", "type": "Number", "default": ""},
        {
            "name": "flag",
            "description": "",
            "type": "Boolean",
            "default": True,
            "replace_on_change": True,
        },
    ]


async def test_outputs_are_stored_as_heat_stores_them() -> None:
    ctx = InMemoryContext()
    outputs = [{"name": "result"}, {"name": "err", "type": "Json", "error_output": True}]
    await make(SoftwareConfig, ctx, outputs=outputs).create()
    assert stored(ctx)["outputs"] == [
        {"name": "result", "description": "", "type": "String", "error_output": False},
        {"name": "err", "description": "", "type": "Json", "error_output": True},
    ]


async def test_an_input_default_that_breaks_its_type_fails_create() -> None:
    ctx = InMemoryContext()
    resource = make(SoftwareConfig, ctx, inputs=[{"name": "n", "type": "Number", "default": "x"}])
    with pytest.raises(ResourceFailure, match=r"^Property error: default: "):
        await resource.create()
    assert ctx.data == {}
    assert ctx.physical_resource_id is None


async def test_delete_has_nothing_to_remove() -> None:
    ctx = InMemoryContext()
    resource = make(SoftwareConfig, ctx, config="x")
    await resource.create()
    await resource.delete()
    assert ctx.sleeps == []


def test_no_config_property_updates_in_place() -> None:
    for plugin in (SoftwareConfig, StructuredConfig, CloudConfig, MultipartMime):
        assert not any(p.update_allowed for p in plugin.properties_schema.values())


# -- StructuredConfig --------------------------------------------------------------------


async def test_structured_config_keeps_the_map() -> None:
    config = {"packages": ["nginx"], "port": 80, "nested": {"on": True}}
    resource = make(StructuredConfig, InMemoryContext(), config=config)
    await resource.create()
    assert await resource.resolve_attribute("config") == config


async def test_structured_config_without_config_is_none() -> None:
    resource = make(StructuredConfig, InMemoryContext())
    await resource.create()
    assert await resource.resolve_attribute("config") is None


# -- CloudConfig -------------------------------------------------------------------------


async def test_cloud_config_is_the_header_and_the_map_as_block_yaml_keys_sorted() -> None:
    resource = make(
        CloudConfig,
        InMemoryContext(),
        cloud_config={
            "runcmd": ["echo hi", ["ls", "-l"]],
            "package_update": True,
            "users": [{"name": "ops", "groups": "wheel"}],
        },
    )
    await resource.create()
    assert await resource.resolve_attribute("config") == (
        "#cloud-config\n"
        "package_update: true\n"
        "runcmd:\n"
        "- echo hi\n"
        "- - ls\n"
        "  - -l\n"
        "users:\n"
        "- groups: wheel\n"
        "  name: ops\n"
    )


async def test_cloud_config_is_stored_ungrouped_with_no_inputs() -> None:
    ctx = InMemoryContext()
    await make(CloudConfig, ctx, cloud_config={"a": 1}).create()
    record = stored(ctx)
    assert (record["group"], record["inputs"], record["outputs"], record["options"]) == (
        "Heat::Ungrouped",
        [],
        [],
        {},
    )


async def test_cloud_config_without_data_dumps_null_as_heat_does() -> None:
    resource = make(CloudConfig, InMemoryContext())
    await resource.create()
    # libyaml's dumper (Heat's choice when present) ends there; the pure one adds "...".
    assert await resource.resolve_attribute("config") in (
        "#cloud-config\nnull\n",
        "#cloud-config\nnull\n...\n",
    )


# -- MultipartMime -----------------------------------------------------------------------


async def mime(ctx: InMemoryContext | None = None, **properties: Any) -> str:
    resource = make(MultipartMime, ctx or InMemoryContext(), **properties)
    await resource.create()
    text: str = await resource.resolve_attribute("config")
    return text


async def test_a_text_part_makes_heats_message_exactly() -> None:
    boundary = make_boundary(random.Random(5))
    text = await mime(InMemoryContext(seed=5), parts=[{"config": "#!/bin/sh\necho hi"}])
    assert text == (
        f'Content-Type: multipart/mixed; boundary="{boundary}"\n'
        "MIME-Version: 1.0\n"
        "\n"
        f"--{boundary}\n"
        'Content-Type: text/plain; charset="us-ascii"\n'
        "MIME-Version: 1.0\n"
        "Content-Transfer-Encoding: 7bit\n"
        "\n"
        "#!/bin/sh\n"
        "echo hi\n"
        f"--{boundary}--\n"
    )


def test_boundaries_have_the_email_packages_shape() -> None:
    boundary = make_boundary(random.Random(0))
    assert boundary.startswith("=" * 15) and boundary.endswith("==")
    assert len(boundary) == 15 + 19 + 2


async def test_no_parts_make_an_empty_multipart_message() -> None:
    boundary = make_boundary(random.Random(0))
    text = await mime(InMemoryContext(seed=0))
    assert email.message_from_string(text).is_multipart()
    assert text == (
        f'Content-Type: multipart/mixed; boundary="{boundary}"\n'
        f"MIME-Version: 1.0\n\n--{boundary}\n\n--{boundary}--\n"
    )


async def test_a_subtype_and_a_filename_are_given_to_the_part() -> None:
    parts = [{"config": "#cloud-config\n{}", "subtype": "cloud-config", "filename": "a.yaml"}]
    (part,) = parts_of(await mime(parts=parts))
    assert part.get_content_type() == "text/cloud-config"
    assert part.get_filename() == "a.yaml"
    assert part.get_payload() == "#cloud-config\n{}"


async def test_a_filename_without_subtype_gives_its_root_as_subtype_as_heat_does() -> None:
    parts = [{"config": "x", "filename": "part-handler.py"}]
    (part,) = parts_of(await mime(parts=parts))
    assert part.get_content_type() == "text/part-handler"


async def test_non_ascii_content_is_utf8() -> None:
    (part,) = parts_of(await mime(parts=[{"config": "héllo"}]))
    assert part.get_content_charset() == "utf-8"
    body = part.get_payload(decode=True)
    assert isinstance(body, bytes)
    assert body.decode("utf-8") == "héllo"


async def test_the_group_property_is_stored() -> None:
    ctx = InMemoryContext()
    await mime(ctx, group="script")
    assert stored(ctx)["group"] == "script"


async def test_a_multipart_part_is_split_into_its_parts() -> None:
    inner = (
        'Content-Type: multipart/mixed; boundary="===============2579792489038011818=="\n'
        "MIME-Version: 1.0\n"
        "\n--===============2579792489038011818==\n"
        'Content-Type: text; charset="us-ascii"\n'
        "MIME-Version: 1.0\n"
        "Content-Transfer-Encoding: 7bit\n"
        "Content-Disposition: attachment;\n"
        ' filename="/opt/stack/configure.d/55-heat-config"\n'
        "#!/bin/bash\n"
        "--===============2579792489038011818==--\n"
    )
    parts = [{"config": inner, "type": "multipart"}, {"config": "second"}]
    first, second = parts_of(await mime(parts=parts))
    assert first.get_payload() == "#!/bin/bash"
    assert first.get_filename() == "/opt/stack/configure.d/55-heat-config"
    assert second.get_payload() == "second"


async def test_a_multipart_part_that_is_not_multipart_adds_nothing() -> None:
    parts = [{"config": "#!/bin/bash", "type": "multipart"}, {"config": "kept"}]
    (only,) = parts_of(await mime(parts=parts))
    assert only.get_payload() == "kept"


async def test_a_part_naming_a_config_by_id_is_replaced_by_that_config() -> None:
    config_id = "1e0e5a60-2843-4cfd-9137-d90bdf18eef5"
    ctx = ConfigLookupContext({config_id: {"id": config_id, "config": "#!/bin/bash"}})
    (part,) = parts_of(await mime(ctx, parts=[{"config": config_id}]))
    assert ctx.lookups == [config_id]
    assert part.get_payload() == "#!/bin/bash"


async def test_an_id_no_config_has_stays_as_the_content_as_in_heat() -> None:
    config_id = "2e0e5a60-2843-4cfd-9137-d90bdf18eef5"
    ctx = ConfigLookupContext({})
    (part,) = parts_of(await mime(ctx, parts=[{"config": config_id}]))
    assert part.get_payload() == config_id


async def test_without_a_lookup_an_id_stays_as_the_content() -> None:
    config_id = "1e0e5a60-2843-4cfd-9137-d90bdf18eef5"
    (part,) = parts_of(await mime(parts=[{"config": config_id}]))
    assert part.get_payload() == config_id


async def test_only_uuid_like_contents_are_looked_up() -> None:
    ctx = ConfigLookupContext({})
    await mime(ctx, parts=[{"config": "http://192.168.122.36:8000/v1/waitcondition/"}])
    assert ctx.lookups == []


async def test_a_looked_up_config_that_is_not_text_fails_create() -> None:
    config_id = "1e0e5a60-2843-4cfd-9137-d90bdf18eef5"
    ctx = ConfigLookupContext({config_id: {"config": {"a": 1}}})
    with pytest.raises(ResourceFailure, match="must be text"):
        await mime(ctx, parts=[{"config": config_id}])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1e0e5a60-2843-4cfd-9137-d90bdf18eef5", True),
        ("1E0E5A60-2843-4CFD-9137-D90BDF18EEF5", True),
        ("1e0e5a6028434cfd9137d90bdf18eef5", True),
        ("{1e0e5a60-2843-4cfd-9137-d90bdf18eef5}", True),
        ("urn:uuid:1e0e5a60-2843-4cfd-9137-d90bdf18eef5", True),
        ("1e0e5a60-2843-4cfd-9137", False),
        ("#!/bin/sh", False),
    ],
)
def test_uuid_like_accepts_the_spellings_oslo_accepts(text: str, expected: bool) -> None:
    assert is_uuid_like(text) is expected
