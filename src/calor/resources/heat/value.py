"""OS::Heat::Value: exposes a computed value as an attribute."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from calor.resources.base import Resource
from calor.template.constraints import AllowedValues
from calor.template.schema import (
    AttributeSchema,
    Properties,
    PropertySchema,
    PropertyType,
    SupportStatus,
)

#: The HOT parameter types the ``value`` may be declared as.
VALUE_TYPES = ("string", "number", "comma_delimited_list", "json", "boolean")


class Value(Resource):
    """Holds a value built from parameters and other resources, as its attribute.

    Declaring ``type`` makes the value checked and converted as a parameter
    of that type would be.
    """

    type_name = "OS::Heat::Value"
    local_only = True
    support_status = SupportStatus(version="7.0.0")
    properties_schema = {
        "value": PropertySchema(
            PropertyType.ANY,
            "The value to expose; any expression.",
            required=True,
            update_allowed=True,
        ),
        "type": PropertySchema(
            PropertyType.STRING,
            "The parameter type the value must have.",
            constraints=[AllowedValues(VALUE_TYPES)],
            update_allowed=True,
        ),
    }
    attributes_schema = {
        "value": AttributeSchema(
            "The resolved value property, converted to the declared type if any."
        ),
    }
    refines_properties = True

    @classmethod
    def refine_properties(cls, values: Mapping[str, Any]) -> Mapping[str, PropertySchema]:
        # As Heat does: a known ``type`` makes ``value`` a property of that type.
        declared = _PROPERTY_TYPES.get(values.get("type"))  # type: ignore[arg-type]
        if declared is None:
            return cls.properties_schema
        value = cls.properties_schema["value"]
        return {
            **cls.properties_schema,
            "value": PropertySchema(
                declared, value.description, required=True, update_allowed=True
            ),
        }

    async def create(self) -> None:
        await self.ctx.set_physical_resource_id(self.ctx.physical_resource_name)

    async def resolve_attribute(self, name: str) -> Any:
        if name != "value":
            return None
        return self.typed_value()

    def typed_value(self) -> Any:
        """``value`` coerced as the property of the declared ``type`` is.

        Validation checked the value against that re-typed property, so the
        same coercion (not a parameter's, which would also split strings and
        parse JSON that validation refused) gives its value: ``"5"`` with
        ``type: number`` answers ``5``.
        """
        schema = type(self).refine_properties(self.properties)
        return Properties({"value": schema["value"]}).resolve(self.properties)["value"]


_PROPERTY_TYPES = {
    "string": PropertyType.STRING,
    "number": PropertyType.NUMBER,
    "comma_delimited_list": PropertyType.LIST,
    "json": PropertyType.MAP,
    "boolean": PropertyType.BOOLEAN,
}
