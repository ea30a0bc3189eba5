"""OS::Heat::Value: exposes a computed value as an attribute."""

from __future__ import annotations

from calor.resources.base import Resource
from calor.template.constraints import AllowedValues
from calor.template.schema import AttributeSchema, PropertySchema, PropertyType, SupportStatus

#: The HOT parameter types the ``value`` may be declared as.
VALUE_TYPES = ("string", "number", "comma_delimited_list", "json", "boolean")


class Value(Resource):
    """Holds a value built from parameters and other resources, as its attribute.

    Declaring ``type`` makes the value checked and converted as a parameter
    of that type would be.
    """

    type_name = "OS::Heat::Value"
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
