"""Property and attribute schemas: coercion, validation, rendering, generated templates."""

from __future__ import annotations

from typing import Any

import pytest

from calor.template.constraints import (
    AllowedPattern,
    AllowedValues,
    CustomConstraint,
    Length,
    Modulo,
    Range,
)
from calor.template.errors import StackValidationFailed, ValidationErrors
from calor.template.function import OMITTED
from calor.template.resource_types import ResourceTypeSchema
from calor.template.schema import (
    AttributeSchema,
    AttributeType,
    Properties,
    PropertySchema,
    PropertyType,
    Support,
    SupportStatus,
)

PATH = ("resources", "r", "properties")


def errors_of(schema: dict[str, PropertySchema], data: dict[str, Any], **kw: Any) -> list[str]:
    return [str(e) for e in Properties(schema).validate(data, path=PATH, **kw)]


def value_of(prop: PropertySchema, value: Any) -> Any:
    return Properties({"p": prop}).resolve({"p": value})["p"]


def error_of(prop: PropertySchema, value: Any) -> str:
    (error,) = Properties({"p": prop}).validate({"p": value}, path=PATH)
    return error.message


# -- coercion --------------------------------------------------------------


def test_integer_property_converts_a_numeric_string() -> None:
    assert value_of(PropertySchema(PropertyType.INTEGER), "42") == 42


def test_integer_property_rejects_a_word() -> None:
    assert error_of(PropertySchema(PropertyType.INTEGER), "abc") == "Value 'abc' is not an integer"


def test_integer_property_truncates_a_float_as_heat_does() -> None:
    assert value_of(PropertySchema(PropertyType.INTEGER), 3.7) == 3


def test_integer_property_rejects_a_list_with_pythons_message() -> None:
    assert error_of(PropertySchema(PropertyType.INTEGER), [1]) == (
        "int() argument must be a string, a bytes-like object or a real number, not 'list'"
    )


def test_number_property_reads_integral_strings_as_int_and_others_as_float() -> None:
    prop = PropertySchema(PropertyType.NUMBER)
    assert (value_of(prop, "5"), value_of(prop, "2.5")) == (5, 2.5)
    assert isinstance(value_of(prop, "5"), int)


def test_number_property_rejects_a_word() -> None:
    assert error_of(PropertySchema(PropertyType.NUMBER), "x") == (
        "could not convert string to float: 'x'"
    )


def test_string_property_stringifies_booleans_and_integers() -> None:
    prop = PropertySchema(PropertyType.STRING)
    assert (value_of(prop, True), value_of(prop, 5)) == ("True", "5")


@pytest.mark.parametrize(
    ("value", "shown"), [(1.5, "1.5"), ({"a": 1}, "{'a': 1}"), (["a"], "['a']")]
)
def test_string_property_rejects_floats_maps_and_lists(value: Any, shown: str) -> None:
    assert error_of(PropertySchema(PropertyType.STRING), value) == (
        f"Value must be a string; got {shown}"
    )


@pytest.mark.parametrize(("word", "expected"), [("TRUE", True), ("False", False)])
def test_boolean_property_accepts_true_and_false_in_any_case(word: str, expected: bool) -> None:
    assert value_of(PropertySchema(PropertyType.BOOLEAN), word) is expected


def test_boolean_property_rejects_other_words_lower_cased() -> None:
    assert error_of(PropertySchema(PropertyType.BOOLEAN), "Yes") == '"yes" is not a valid boolean'


def test_boolean_property_rejects_integers() -> None:
    assert error_of(PropertySchema(PropertyType.BOOLEAN), 1) == '"1" is not a valid boolean'


def test_list_property_rejects_a_string_without_conversion() -> None:
    assert error_of(PropertySchema(PropertyType.LIST), "a,b") == "\"'a,b'\" is not a list"


def test_list_property_with_conversion_splits_a_comma_string() -> None:
    prop = PropertySchema(PropertyType.LIST, allow_conversion=True)
    assert (value_of(prop, "a,b"), value_of(prop, "")) == (["a", "b"], [])


def test_map_property_rejects_a_list() -> None:
    assert error_of(PropertySchema(PropertyType.MAP), [1]) == '"[1]" is not a map'


def test_map_property_with_conversion_keeps_strings_and_dumps_lists_as_json() -> None:
    prop = PropertySchema(PropertyType.MAP, allow_conversion=True)
    assert value_of(prop, '{"a": 1}') == '{"a": 1}'
    assert value_of(prop, [{"a": 1}]) == '[{"a": 1}]'


def test_any_property_passes_its_value_untouched() -> None:
    assert value_of(PropertySchema(PropertyType.ANY), {"x": [1]}) == {"x": [1]}


def test_any_property_ignores_its_default_as_heat_does() -> None:
    assert Properties({"p": PropertySchema(PropertyType.ANY, default=1)}).resolve({}) == {"p": None}


# -- absent, null, defaults ------------------------------------------------


def test_absent_property_without_default_resolves_to_none() -> None:
    assert Properties({"s": PropertySchema(PropertyType.STRING)}).resolve({}) == {"s": None}


def test_absent_property_takes_its_default() -> None:
    prop = PropertySchema(PropertyType.INTEGER, default=32)
    assert Properties({"n": prop}).resolve({}) == {"n": 32}


@pytest.mark.parametrize(
    ("kind", "zero"),
    [
        (PropertyType.STRING, ""),
        (PropertyType.INTEGER, 0),
        (PropertyType.NUMBER, 0),
        (PropertyType.BOOLEAN, False),
        (PropertyType.LIST, []),
        (PropertyType.MAP, {}),
    ],
)
def test_null_property_takes_the_zero_value_of_its_type(kind: PropertyType, zero: Any) -> None:
    assert value_of(PropertySchema(kind), None) == zero


def test_null_property_takes_its_default() -> None:
    assert value_of(PropertySchema(PropertyType.STRING, default="d"), None) == "d"


def test_omitted_value_counts_as_absent() -> None:
    schema = {"v": PropertySchema(PropertyType.STRING, required=True)}
    assert errors_of(schema, {"v": OMITTED}) == [
        "Property error: resources.r.properties: Property v not assigned"
    ]


def test_resolve_ignores_unknown_properties() -> None:
    assert Properties({}).resolve({"x": 1}) == {}


# -- errors and their paths ------------------------------------------------


def test_unknown_property_is_reported_at_the_properties_section() -> None:
    assert errors_of({}, {"foo": 1}) == [
        "Property error: resources.r.properties: Unknown Property foo"
    ]


def test_missing_required_property_is_reported_at_the_properties_section() -> None:
    schema = {"name": PropertySchema(PropertyType.STRING, required=True)}
    assert errors_of(schema, {}) == [
        "Property error: resources.r.properties: Property name not assigned"
    ]


def test_bad_value_is_reported_at_the_property() -> None:
    schema = {"length": PropertySchema(PropertyType.INTEGER)}
    (error,) = Properties(schema).validate({"length": "abc"}, path=PATH)
    assert isinstance(error, StackValidationFailed)
    assert error.path == ("resources", "r", "properties", "length")
    assert str(error) == (
        "Property error: resources.r.properties.length: Value 'abc' is not an integer"
    )


def test_validate_reports_every_problem() -> None:
    schema = {
        "a": PropertySchema(PropertyType.INTEGER),
        "b": PropertySchema(PropertyType.BOOLEAN),
        "c": PropertySchema(PropertyType.STRING, required=True),
    }
    assert errors_of(schema, {"a": "x", "b": "y", "z": 1}) == [
        "Property error: resources.r.properties: Unknown Property z",
        "Property error: resources.r.properties.a: Value 'x' is not an integer",
        'Property error: resources.r.properties.b: "y" is not a valid boolean',
        "Property error: resources.r.properties: Property c not assigned",
    ]


def test_resolve_raises_the_error_of_a_bad_value() -> None:
    with pytest.raises(StackValidationFailed, match="Value 'x' is not an integer"):
        Properties({"n": PropertySchema(PropertyType.INTEGER)}).resolve({"n": "x"})


def test_resolve_raises_every_error_together() -> None:
    schema = {"a": PropertySchema(PropertyType.INTEGER), "b": PropertySchema(PropertyType.INTEGER)}
    with pytest.raises(ValidationErrors) as caught:
        Properties(schema).resolve({"a": "x", "b": "y"})
    assert [e.path for e in caught.value.errors] == [("a",), ("b",)]


# -- nested schemas --------------------------------------------------------

NETWORKS = {
    "networks": PropertySchema(
        PropertyType.LIST,
        schema=PropertySchema(
            PropertyType.MAP,
            schema={
                "port": PropertySchema(PropertyType.STRING, required=True),
                "fixed": PropertySchema(PropertyType.BOOLEAN, default=False),
            },
        ),
    )
}


def test_list_item_errors_name_the_index_and_key() -> None:
    (error,) = Properties(NETWORKS).validate({"networks": [{"port": [1]}]}, path=PATH)
    assert error.path == ("resources", "r", "properties", "networks", 0, "port")
    assert str(error) == (
        "Property error: resources.r.properties.networks[0].port: Value must be a string; got [1]"
    )


def test_nested_missing_required_key_is_reported_at_the_map() -> None:
    assert errors_of(NETWORKS, {"networks": [{"port": "p"}, {}]}) == [
        "Property error: resources.r.properties.networks[1]: Property port not assigned"
    ]


def test_nested_unknown_key_is_reported_at_the_map() -> None:
    assert errors_of(NETWORKS, {"networks": [{"port": "p", "bogus": 1}]}) == [
        "Property error: resources.r.properties.networks[0]: Unknown Property bogus"
    ]


def test_nested_map_resolves_every_declared_key() -> None:
    resolved = Properties(NETWORKS).resolve({"networks": [{"port": "p"}]})
    assert resolved == {"networks": [{"port": "p", "fixed": False}]}


def test_list_item_schema_coerces_each_item() -> None:
    prop = PropertySchema(PropertyType.LIST, schema=PropertySchema(PropertyType.INTEGER))
    assert value_of(prop, ["1", 2]) == [1, 2]


def test_list_schema_written_with_a_star_key_is_the_item_schema() -> None:
    item = PropertySchema(PropertyType.INTEGER)
    assert PropertySchema(PropertyType.LIST, schema={"*": item}).item_schema == item


# -- constraints -----------------------------------------------------------


def test_constraint_is_checked_on_the_coerced_value() -> None:
    prop = PropertySchema(PropertyType.INTEGER, constraints=[Range(1, 512)])
    assert error_of(prop, "0") == "0 is out of range (min: 1, max: 512)"


def test_allowed_values_of_a_list_apply_to_every_item() -> None:
    prop = PropertySchema(PropertyType.LIST, constraints=[AllowedValues(("CREATE", "DELETE"))])
    assert error_of(prop, ["CREATE", "UPDATE"]) == (
        '["CREATE", "UPDATE"] is not an allowed value ["CREATE", "DELETE"]'
    )


def test_allowed_values_compare_in_the_property_type() -> None:
    prop = PropertySchema(PropertyType.INTEGER, constraints=[AllowedValues(("1", "2"))])
    assert Properties({"p": prop}).validate({"p": 2}) == []


def test_constraint_description_replaces_the_message() -> None:
    prop = PropertySchema(PropertyType.STRING, constraints=[Length(min=3, description="short")])
    assert error_of(prop, "ab") == "short"


def test_default_is_checked_against_constraints_when_validating() -> None:
    schema = {"n": PropertySchema(PropertyType.INTEGER, default=0, constraints=[Range(min=1)])}
    assert errors_of(schema, {}) == [
        "Property error: resources.r.properties.n: 0 is out of range (min: 1, max: None)"
    ]


class OnlyEven:
    """A custom-constraint checker that knows one check, ``even``."""

    def knows(self, name: str) -> bool:
        return name == "even"

    def check(self, name: str, value: Any) -> str | None:
        return None if value % 2 == 0 else f"{value} is odd"


def test_custom_constraint_asks_the_checker() -> None:
    schema = {"n": PropertySchema(PropertyType.INTEGER, constraints=[CustomConstraint("even")])}
    assert errors_of(schema, {"n": 3}, checker=OnlyEven()) == [
        "Property error: resources.r.properties.n: 3 is odd"
    ]


# -- values not known yet --------------------------------------------------


def test_skipped_property_is_not_type_checked() -> None:
    schema = {"n": PropertySchema(PropertyType.INTEGER, required=True)}
    assert errors_of(schema, {"n": "not yet"}, skip=lambda name: name == "n") == []


def test_skipping_does_not_hide_unknown_properties() -> None:
    assert errors_of({}, {"x": None}, skip=lambda name: True) == [
        "Property error: resources.r.properties: Unknown Property x"
    ]


# -- rendering ---------------------------------------------------------------


def test_minimal_property_renders_its_flags_only() -> None:
    assert PropertySchema(PropertyType.STRING).to_dict() == {
        "type": "string",
        "required": False,
        "update_allowed": False,
        "immutable": False,
    }


def test_property_renders_description_default_constraints_and_item_schema() -> None:
    prop = PropertySchema(
        PropertyType.LIST,
        "Things.",
        default=["a"],
        constraints=[Length(min=1)],
        update_allowed=True,
        schema=PropertySchema(PropertyType.STRING, constraints=[AllowedPattern("[a-z]+")]),
    )
    assert prop.to_dict() == {
        "type": "list",
        "description": "Things.",
        "default": ["a"],
        "schema": {
            "*": {
                "type": "string",
                "required": False,
                "constraints": [{"allowed_pattern": "[a-z]+"}],
                "update_allowed": False,
                "immutable": False,
            }
        },
        "required": False,
        "constraints": [{"length": {"min": 1}}],
        "update_allowed": True,
        "immutable": False,
    }


def test_map_property_renders_its_key_schemas() -> None:
    prop = PropertySchema(PropertyType.MAP, schema={"k": PropertySchema(PropertyType.ANY)})
    assert prop.to_dict()["schema"] == {
        "k": {"type": "any", "required": False, "update_allowed": False, "immutable": False}
    }


def test_attribute_renders_lower_case_type_and_leaves_out_what_is_unset() -> None:
    assert AttributeSchema("Refs.", type=AttributeType.LIST).to_dict() == {
        "description": "Refs.",
        "type": "list",
    }
    assert AttributeSchema().to_dict() == {}


def test_support_status_renders_its_previous_status() -> None:
    status = SupportStatus(
        Support.HIDDEN,
        version="5.0.0",
        previous_status=SupportStatus(Support.DEPRECATED, version="2014.2", message="Use x."),
    )
    assert status.to_dict() == {
        "status": "HIDDEN",
        "message": None,
        "version": "5.0.0",
        "previous_status": {
            "status": "DEPRECATED",
            "message": "Use x.",
            "version": "2014.2",
            "previous_status": None,
        },
    }


def test_support_status_refuses_an_unknown_status() -> None:
    with pytest.raises(ValueError, match="Invalid support status 'GONE'"):
        SupportStatus("GONE")  # type: ignore[arg-type]


# -- resource type schemas ---------------------------------------------------

HIDDEN = SupportStatus(Support.HIDDEN)

WIDGET = ResourceTypeSchema(
    "My::Widget::Thing",
    properties={
        "size": PropertySchema(
            PropertyType.INTEGER, "Size.", default=1, constraints=[Range(min=0)]
        ),
        "tags": PropertySchema(PropertyType.LIST, "Tags.", constraints=[Length(max=3)]),
        "on": PropertySchema(PropertyType.BOOLEAN, "On.", default=False),
        "old": PropertySchema(PropertyType.STRING, support_status=HIDDEN),
    },
    attributes={"id": AttributeSchema("Id.", type=AttributeType.STRING)},
    description="A widget.",
    plugin_name="Widget",
)


def test_every_resource_type_has_the_show_attribute() -> None:
    assert list(ResourceTypeSchema("A::B::C").attributes) == ["show"]


def test_type_body_leaves_out_hidden_properties() -> None:
    body = WIDGET.to_dict()
    assert list(body) == [
        "resource_type", "properties", "attributes", "support_status", "description",
    ]
    assert list(body["properties"]) == ["size", "tags", "on"]
    assert body["attributes"]["show"] == {
        "description": "Everything the backend reports about the resource.",
        "type": "map",
    }
    assert body["support_status"] == {
        "status": "SUPPORTED", "message": None, "version": None, "previous_status": None,
    }


def test_type_body_without_description() -> None:
    assert "description" not in WIDGET.to_dict(with_description=False)


def test_type_that_accepts_any_property_reports_nothing() -> None:
    anything = ResourceTypeSchema("A::B::C", accepts_any_property=True)
    assert anything.validate_properties({"whatever": 1}, path=PATH) == []


def test_update_policy_errors_are_property_errors_at_the_policy_path() -> None:
    group = ResourceTypeSchema(
        "A::B::C",
        update_policy={
            "batch": PropertySchema(
                PropertyType.MAP,
                schema={"size": PropertySchema(PropertyType.INTEGER, constraints=[Range(min=1)])},
            )
        },
    )
    errors = group.validate_update_policy(
        {"batch": {"size": 0}}, path=("resources", "g", "update_policy")
    )
    assert [str(e) for e in errors] == [
        "Property error: resources.g.update_policy.batch.size: "
        "0 is out of range (min: 1, max: None)"
    ]


def test_generated_hot_template_mirrors_the_schema() -> None:
    assert WIDGET.generate_template("hot") == {
        "heat_template_version": "2016-10-14",
        "description": "Initial template of Widget",
        "parameters": {
            "size": {
                "type": "number",
                "description": "Size.",
                "default": 1,
                "constraints": [{"range": {"min": 0}}],
            },
            "tags": {
                "type": "comma_delimited_list",
                "description": "Tags.",
                "constraints": [{"length": {"max": 3}}],
            },
            "on": {"type": "boolean", "description": "On.", "default": False},
        },
        "outputs": {
            "id": {"value": {"get_attr": ["Widget", "id"]}, "description": "Id."},
            "show": {
                "value": {"get_attr": ["Widget", "show"]},
                "description": "Everything the backend reports about the resource.",
            },
            "OS::stack_id": {"value": {"get_resource": "Widget"}},
        },
        "resources": {
            "Widget": {
                "type": "My::Widget::Thing",
                "properties": {
                    "size": {"get_param": "size"},
                    "tags": {"get_param": "tags"},
                    "on": {"get_param": "on"},
                },
            }
        },
    }


def test_generated_cfn_template_mirrors_the_schema() -> None:
    assert WIDGET.generate_template("cfn") == {
        "HeatTemplateFormatVersion": "2012-12-12",
        "Description": "Initial template of Widget",
        "Parameters": {
            "size": {"Type": "Number", "Description": "Size.", "Default": 1, "MinValue": 0},
            "tags": {"Type": "CommaDelimitedList", "Description": "Tags.", "MaxLength": 3},
            "on": {
                "Type": "Boolean",
                "Description": "On.",
                "Default": False,
                "AllowedValues": ["True", "true", "False", "false"],
            },
        },
        "Resources": {
            "Widget": {
                "Type": "My::Widget::Thing",
                "Properties": {
                    "size": {"Ref": "size"},
                    "tags": {"Fn::Split": [",", {"Ref": "tags"}]},
                    "on": {"Ref": "on"},
                },
            }
        },
        "Outputs": {
            "id": {"Value": {"Fn::GetAtt": ["Widget", "id"]}, "Description": "Id."},
            "show": {
                "Value": {"Fn::GetAtt": ["Widget", "show"]},
                "Description": "Everything the backend reports about the resource.",
            },
            "OS::stack_id": {"Value": {"Ref": "Widget"}},
        },
    }


def test_generated_template_gives_any_properties_a_json_parameter() -> None:
    value = ResourceTypeSchema("A::B::C", properties={"v": PropertySchema(PropertyType.ANY)})
    assert value.generate_template("hot")["parameters"] == {"v": {"type": "json"}}


def test_generated_template_keeps_custom_constraints_and_drops_modulo() -> None:
    prop = PropertySchema(
        PropertyType.INTEGER, constraints=[CustomConstraint("nova.flavor"), Modulo(2, 1)]
    )
    generated = ResourceTypeSchema("A::B::C", properties={"p": prop}).generate_template("hot")
    assert generated["parameters"]["p"]["constraints"] == [{"custom_constraint": "nova.flavor"}]


def test_generated_template_refuses_an_unknown_template_type() -> None:
    with pytest.raises(ValueError) as caught:
        WIDGET.generate_template("tosca")
    assert str(caught.value) == 'Invalid template type "tosca", valid types are: cfn, hot.'


def test_generated_template_names_its_resource_after_the_type_by_default() -> None:
    assert list(ResourceTypeSchema("A::B::Gadget").generate_template("hot")["resources"]) == [
        "Gadget"
    ]


# -- well-formedness of declarations ---------------------------------------


@pytest.mark.parametrize(
    ("prop", "problem"),
    [
        (PropertySchema("Strin"), "p: Invalid type (Strin)"),  # type: ignore[arg-type]
        (
            PropertySchema(PropertyType.STRING, schema=PropertySchema(PropertyType.STRING)),
            "p: Schema valid only for List or Map, not String",
        ),
        (
            PropertySchema(PropertyType.MAP, schema=PropertySchema(PropertyType.STRING)),
            "p: Single schema valid only for List, not Map",
        ),
        (
            PropertySchema(PropertyType.STRING, constraints=[Range(min=1)]),
            "p: Range constraint invalid for String",
        ),
        (
            PropertySchema(PropertyType.STRING, update_allowed=True, immutable=True),
            "p: Options update_allowed and immutable cannot both be True",
        ),
        (
            PropertySchema(PropertyType.STRING, required=True, default="x"),
            "p: Option 'required=True' should not be used with any 'default' value (x)",
        ),
        (
            PropertySchema(PropertyType.INTEGER, default="abc"),
            "p: Invalid default abc (Value 'abc' is not an integer)",
        ),
        (
            PropertySchema(PropertyType.INTEGER, default=0, constraints=[Range(min=1)]),
            "p: Invalid default 0 (0 is out of range (min: 1, max: None))",
        ),
        (
            PropertySchema(
                PropertyType.LIST,
                schema=PropertySchema(
                    PropertyType.MAP, schema={"n": PropertySchema(PropertyType.LIST, default=1)}
                ),
            ),
            'p.*.n: Invalid default 1 ("1" is not a list)',
        ),
    ],
)
def test_malformed_property_declaration_is_reported(prop: PropertySchema, problem: str) -> None:
    assert prop.problems("p") == [problem]


def test_custom_constraints_are_not_applied_to_defaults() -> None:
    prop = PropertySchema(PropertyType.STRING, default="x", constraints=[CustomConstraint("no")])
    assert prop.problems("p") == []


def test_attribute_with_an_unknown_type_is_reported() -> None:
    bad = AttributeSchema(type="Blob")  # type: ignore[arg-type]
    assert bad.problems("a") == ["attribute a: Invalid type (Blob)"]
