"""AWS::CloudFormation::Stack: a nested stack made from a template URL."""

from __future__ import annotations

from calor.resources.base import Resource
from calor.template.schema import PropertySchema, PropertyType


class NestedStack(Resource):
    """Creates a nested stack from the template at ``TemplateURL``.

    ``Outputs.<name>`` attributes read the nested stack's outputs; the
    reference is the nested stack's ARN.
    """

    type_name = "AWS::CloudFormation::Stack"
    # ``Outputs.<name>`` reaches any output of the nested stack.
    accepts_any_attribute = True
    properties_schema = {
        "TemplateURL": PropertySchema(
            PropertyType.STRING,
            "URL of the template the nested stack is made from.",
            required=True,
            update_allowed=True,
        ),
        "TimeoutInMinutes": PropertySchema(
            PropertyType.INTEGER,
            "Minutes the nested stack may take to create.",
            update_allowed=True,
        ),
        "Parameters": PropertySchema(
            PropertyType.MAP,
            "Parameter values for the nested stack.",
            update_allowed=True,
        ),
    }
