"""OS::Heat::SoftwareConfig: a stored, immutable piece of server configuration."""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping, Sequence
from typing import Any, Protocol, runtime_checkable

from calor.resources.base import Resource
from calor.resources.lifecycle import ResourceFailure
from calor.template.constraints import AllowedValues
from calor.template.errors import TemplateError
from calor.template.schema import (
    AttributeSchema,
    AttributeType,
    Properties,
    PropertySchema,
    PropertyType,
    SupportStatus,
)

#: The types a config's inputs and outputs may declare.
IO_TYPES = ("String", "Number", "CommaDelimitedList", "Json", "Boolean")


def _io_common(what: str) -> dict[str, PropertySchema]:
    return {
        "name": PropertySchema(PropertyType.STRING, f"The {what}'s name.", required=True),
        "description": PropertySchema(PropertyType.STRING, f"What the {what} is for."),
        "type": PropertySchema(
            PropertyType.STRING,
            f"The type of the {what}'s value.",
            default="String",
            constraints=[AllowedValues(IO_TYPES)],
        ),
    }


INPUT_SCHEMA = {
    **_io_common("input"),
    "default": PropertySchema(PropertyType.ANY, "The value used when none is given."),
    "replace_on_change": PropertySchema(
        PropertyType.BOOLEAN,
        "Replace the deployment, rather than update it, when this value changes.",
        default=False,
    ),
}

OUTPUT_SCHEMA = {
    **_io_common("output"),
    "error_output": PropertySchema(
        PropertyType.BOOLEAN,
        "A value in this output means the deployment failed.",
        default=False,
    ),
}

#: The group of a config that names none.
DEFAULT_GROUP = "Heat::Ungrouped"

#: The resource data key a config's record is kept under. Heat keeps configs
#: in its software_config table, by id; until Calor's store has one, the
#: record (:meth:`SoftwareConfig.software_config` has its shape) lives in
#: the resource's own data.
CONFIG_DATA_KEY = "software_config"

# What each declared input type holds, as Heat re-types an input's default.
_IO_PROPERTY_TYPES = {
    "String": PropertyType.STRING,
    "Number": PropertyType.NUMBER,
    "CommaDelimitedList": PropertyType.LIST,
    "Json": PropertyType.MAP,
    "Boolean": PropertyType.BOOLEAN,
}

GROUP = PropertySchema(
    PropertyType.STRING,
    "The group the config is delivered under, which tells servers which tool applies it.",
    default="Heat::Ungrouped",
)
OPTIONS = PropertySchema(PropertyType.MAP, "Options for the configuration tool.")
INPUTS = PropertySchema(
    PropertyType.LIST,
    "The inputs the config expects.",
    schema=PropertySchema(PropertyType.MAP, schema=INPUT_SCHEMA),
)
OUTPUTS = PropertySchema(
    PropertyType.LIST,
    "The outputs the config produces.",
    schema=PropertySchema(PropertyType.MAP, schema=OUTPUT_SCHEMA),
)


@runtime_checkable
class SoftwareConfigLookup(Protocol):
    """A context that can find a stored config by id (Heat's show_software_config).

    Optional: MultipartMime uses it, when its context offers it, to inline
    parts that name another config.
    """

    async def show_software_config(self, config_id: str) -> Mapping[str, Any] | None:
        """The config record with this id, or None when there is none."""


def _io_record(schema: Mapping[str, PropertySchema], entry: Mapping[str, Any]) -> dict[str, Any]:
    # As Heat stores an input or output: every key coerced again (so an
    # unset description becomes ""), then the None values dropped.
    values = Properties(schema).resolve(entry)
    return {key: value for key, value in values.items() if value is not None}


def input_record(entry: Mapping[str, Any]) -> dict[str, Any]:
    """One input as Heat's software_configs API stores and shows it.

    The default takes the input's declared type (a Number's unset default
    is 0), except the legacy empty-string default of a non-String input.
    """
    declared = entry.get("type") or "String"
    schema = dict(INPUT_SCHEMA)
    if not (entry.get("default") == "" and declared != "String"):
        # An unknown type was refused by validation; keep the value as it is.
        kind = _IO_PROPERTY_TYPES.get(declared, PropertyType.ANY)
        convert = kind in (PropertyType.LIST, PropertyType.MAP)
        schema["default"] = PropertySchema(kind, allow_conversion=convert)
    else:
        schema["default"] = PropertySchema(PropertyType.ANY)
    record = _io_record(schema, entry)
    if not record.get("replace_on_change"):
        record.pop("replace_on_change", None)
    return record


def output_record(entry: Mapping[str, Any]) -> dict[str, Any]:
    """One output as Heat's software_configs API stores and shows it."""
    return _io_record(OUTPUT_SCHEMA, entry)


class SoftwareConfig(Resource):
    """Stores a configuration script with the inputs and outputs it uses.

    Configs cannot change: a new definition makes a new config. Servers'
    user_data, deployments and MultipartMime parts can refer to one.
    """

    type_name = "OS::Heat::SoftwareConfig"
    support_status = SupportStatus(version="2014.1")
    properties_schema = {
        "group": GROUP,
        "config": PropertySchema(
            PropertyType.STRING, "The script or manifest that does the configuring."
        ),
        "options": OPTIONS,
        "inputs": INPUTS,
        "outputs": OUTPUTS,
    }
    attributes_schema = {
        "config": AttributeSchema("The stored config.", type=AttributeType.STRING),
    }

    def software_config(self) -> dict[str, Any]:
        """What is stored: ``group``, ``config``, ``inputs``, ``outputs``, ``options``.

        A subclass that computes its content overrides :meth:`config_content`
        (CloudConfig), and :meth:`config_group` if needed; one whose content
        needs look-ups overrides :meth:`build_record` (MultipartMime).
        """
        inputs: Sequence[Mapping[str, Any]] = self.properties.get("inputs") or []
        outputs: Sequence[Mapping[str, Any]] = self.properties.get("outputs") or []
        return {
            "group": self.config_group(),
            "config": self.config_content(),
            "inputs": [input_record(entry) for entry in inputs],
            "outputs": [output_record(entry) for entry in outputs],
            "options": self.properties.get("options") or {},
        }

    def config_group(self) -> str:
        group: str | None = self.properties.get("group")
        return group or DEFAULT_GROUP

    def config_content(self) -> Any:
        """The ``config`` stored: the property as given."""
        return self.properties.get("config")

    async def build_record(self) -> dict[str, Any]:
        """The record to store; a coroutine, for content that needs look-ups."""
        try:
            return self.software_config()
        except TemplateError as exc:
            raise ResourceFailure(str(exc)) from exc

    async def create(self) -> None:
        record = await self.build_record()
        config_id = str(uuid.uuid4())
        stored = {"id": config_id, "name": self.ctx.physical_resource_name, **record}
        await self.ctx.set_data(CONFIG_DATA_KEY, json.dumps(stored))
        # The config id is the physical id, as Heat's is.
        await self.ctx.set_physical_resource_id(config_id)

    async def stored_config(self) -> dict[str, Any] | None:
        """The stored record (with ``id`` and ``name``), or None before create."""
        text = (await self.ctx.get_data()).get(CONFIG_DATA_KEY)
        if text is None:
            return None
        record: dict[str, Any] = json.loads(text)
        return record

    async def resolve_attribute(self, name: str) -> Any:
        if name != "config" or not self.ctx.physical_resource_id:
            return None
        record = await self.stored_config()
        return None if record is None else record["config"]
