"""OS::Heat::RandomString: a random string, e.g. for passwords."""

from __future__ import annotations

from calor.resources.base import Resource
from calor.template.constraints import AllowedValues, Range
from calor.template.schema import (
    AttributeSchema,
    AttributeType,
    CacheMode,
    PropertySchema,
    PropertyType,
    Support,
    SupportStatus,
)

#: The named character classes a string may be drawn from.
CHARACTER_CLASSES = (
    "lettersdigits",
    "letters",
    "lowercase",
    "uppercase",
    "digits",
    "hexdigits",
    "octdigits",
)


class RandomString(Resource):
    """Generates a random string once, for passwords, secrets and names.

    Characters come from named classes and/or explicit sequences, each with
    a minimum count; the length is 32 unless set. Changing ``salt`` makes a
    new string.
    """

    type_name = "OS::Heat::RandomString"
    support_status = SupportStatus(version="2014.1")
    properties_schema = {
        "length": PropertySchema(
            PropertyType.INTEGER,
            "How many characters to generate.",
            default=32,
            constraints=[Range(1, 512)],
        ),
        "sequence": PropertySchema(
            PropertyType.STRING,
            "A character class to draw from (superseded by character_classes).",
            constraints=[AllowedValues(CHARACTER_CLASSES)],
            support_status=SupportStatus(
                Support.HIDDEN,
                version="5.0.0",
                previous_status=SupportStatus(
                    Support.DEPRECATED,
                    version="2014.2",
                    message="Use property character_classes.",
                ),
            ),
        ),
        "character_classes": PropertySchema(
            PropertyType.LIST,
            "Named character classes to draw from, each with a minimum count.",
            schema=PropertySchema(
                PropertyType.MAP,
                schema={
                    "class": PropertySchema(
                        PropertyType.STRING,
                        "A named class of characters; see min.",
                        default="lettersdigits",
                        constraints=[AllowedValues(CHARACTER_CLASSES)],
                    ),
                    "min": PropertySchema(
                        PropertyType.INTEGER,
                        "At least this many characters of the string come from the class.",
                        default=1,
                        constraints=[Range(1, 512)],
                    ),
                },
            ),
            default=[{"class": "lettersdigits", "min": 1}],
        ),
        "character_sequences": PropertySchema(
            PropertyType.LIST,
            "Explicit character sequences to draw from, each with a minimum count.",
            schema=PropertySchema(
                PropertyType.MAP,
                schema={
                    "sequence": PropertySchema(
                        PropertyType.STRING,
                        "The characters to draw from; see min.",
                        required=True,
                    ),
                    "min": PropertySchema(
                        PropertyType.INTEGER,
                        "At least this many characters of the string come from the sequence.",
                        default=1,
                        constraints=[Range(1, 512)],
                    ),
                },
            ),
        ),
        "salt": PropertySchema(
            PropertyType.STRING,
            "Ignored by the generator; change it on update to get a new string.",
        ),
    }
    attributes_schema = {
        "value": AttributeSchema(
            "The generated string (also the resource's reference).",
            type=AttributeType.STRING,
            cache_mode=CacheMode.NONE,
        ),
    }
