"""Validating whole templates: what a user sees for good and bad input."""

from __future__ import annotations

import textwrap
from typing import Any

import pytest

from calor.resources import default_registry
from calor.template.environment import Environment
from calor.template.errors import TemplateError
from calor.template.stack_definition import StackDefinition
from calor.template.template import Template
from calor.template.validation import Validation, validate, validate_body


def check(
    text: str,
    *,
    files: dict[str, str] | None = None,
    env: str | None = None,
    params: dict[str, Any] | None = None,
    strict: bool = False,
) -> Validation:
    template = Template.from_text(textwrap.dedent(text), filename="t.yaml", files=files)
    environment = Environment.parse(env) if env else None
    definition = StackDefinition(template, environment, params=params)
    return validate(definition, default_registry(), strict=strict)


def only_error(result: Validation) -> TemplateError:
    assert len(result.errors) == 1, [str(e) for e in result.errors]
    return result.errors[0]


def test_a_good_template_has_no_errors() -> None:
    result = check(
        """
        heat_template_version: 2021-04-16
        parameters:
          n: {type: number, default: 8}
        resources:
          secret:
            type: OS::Heat::RandomString
            properties: {length: {get_param: n}}
          copy:
            type: OS::Heat::Value
            properties: {value: {get_attr: [secret, value]}}
        outputs:
          out: {value: {get_attr: [copy, value]}}
        """
    )
    assert result.errors == []


def test_get_resource_of_unknown_resource_names_the_reference_and_line() -> None:
    error = only_error(
        check(
            """
            heat_template_version: 2016-10-14
            resources:
              web:
                type: OS::Heat::Value
                properties:
                  value: {get_resource: nope}
            """
        )
    )
    assert error.message == 'The specified reference "nope" (in web.Properties.value) is incorrect.'
    assert (error.file, error.line) == ("t.yaml", 7)


def test_get_attr_of_an_attribute_the_type_lacks_is_an_error() -> None:
    error = only_error(
        check(
            """
            heat_template_version: 2016-10-14
            resources:
              secret: {type: OS::Heat::RandomString}
            outputs:
              o: {value: {get_attr: [secret, colour]}}
            """
        )
    )
    assert "The Referenced Attribute (secret colour) is incorrect." in str(error)
    assert error.line == 6


def test_circular_dependency_names_the_cycle() -> None:
    error = only_error(
        check(
            """
            heat_template_version: 2016-10-14
            resources:
              a: {type: OS::Heat::None, depends_on: c}
              b: {type: OS::Heat::None, depends_on: a}
              c: {type: OS::Heat::None, depends_on: b}
            """
        )
    )
    assert error.error_type == "CircularDependencyException"
    assert error.message == "Circular Dependency Found: a -> c -> b -> a"


def test_unknown_resource_type_is_reported_like_heat() -> None:
    error = only_error(
        check(
            """
            heat_template_version: 2016-10-14
            resources:
              web:
                type: OS::Nova::Sever
            """
        )
    )
    assert error.message == "The Resource Type (OS::Nova::Sever) could not be found."
    assert error.line == 5


def test_wrong_property_type_names_the_property() -> None:
    error = only_error(
        check(
            """
            heat_template_version: 2016-10-14
            resources:
              secret:
                type: OS::Heat::RandomString
                properties:
                  length: many
            """
        )
    )
    assert str(error).startswith("Property error: resources.secret.properties.length:")
    assert error.line == 7


def test_unknown_property_is_an_error() -> None:
    error = only_error(
        check(
            """
            heat_template_version: 2016-10-14
            resources:
              secret:
                type: OS::Heat::RandomString
                properties: {colour: red}
            """
        )
    )
    assert "Unknown Property colour" in str(error)


def test_properties_that_depend_on_other_resources_are_not_type_checked() -> None:
    result = check(
        """
        heat_template_version: 2016-10-14
        resources:
          a: {type: OS::Heat::Value, properties: {value: "3"}}
          secret:
            type: OS::Heat::RandomString
            properties: {length: {get_attr: [a, value]}}
        """
    )
    assert result.errors == []


def test_a_supplied_value_breaking_a_constraint_is_an_error() -> None:
    error = only_error(
        check(
            """
            heat_template_version: 2016-10-14
            parameters:
              size:
                type: number
                constraints: [{range: {min: 1, max: 4}}]
            """,
            params={"size": 9},
        )
    )
    assert "size" in str(error)
    assert error.line == 4


def test_missing_required_parameter_passes_validate_but_not_strict_validation() -> None:
    text = """
        heat_template_version: 2016-10-14
        parameters:
          key: {type: string}
        """
    assert check(text).errors == []
    error = only_error(check(text, strict=True))
    assert error.message == "The Parameter (key) was not provided."


def test_depends_on_an_unknown_resource_is_an_error() -> None:
    error = only_error(
        check(
            """
            heat_template_version: 2016-10-14
            resources:
              web: {type: OS::Heat::None, depends_on: [db]}
            """
        )
    )
    assert error.message == 'The specified reference "db" (in web) is incorrect.'


def test_depends_on_a_disabled_resource_is_dropped_but_get_resource_of_it_fails() -> None:
    result = check(
        """
        heat_template_version: 2016-10-14
        conditions:
          never: false
        resources:
          db: {type: OS::Heat::None, condition: never}
          web: {type: OS::Heat::None, depends_on: db}
          app:
            type: OS::Heat::Value
            properties: {value: {get_resource: db}}
        """
    )
    error = only_error(result)
    assert 'The specified reference "db"' in error.message
    assert "web" not in error.message


def test_resource_with_false_condition_is_left_out() -> None:
    template = Template.from_text(
        textwrap.dedent(
            """
            heat_template_version: 2016-10-14
            parameters:
              prod: {type: boolean, default: false}
            conditions:
              is_prod: {get_param: prod}
            resources:
              audit: {type: OS::Heat::None, condition: is_prod}
              app: {type: OS::Heat::None}
            outputs:
              audit:
                condition: is_prod
                value: {get_resource: audit}
            """
        )
    )
    definition = StackDefinition(template)
    assert set(definition.resources) == {"app"}
    assert definition.outputs["audit"].enabled is False
    assert validate(definition, default_registry()).errors == []
    turned_on = StackDefinition(template, params={"prod": "true"})
    assert set(turned_on.resources) == {"audit", "app"}


def test_every_problem_is_reported_at_once() -> None:
    result = check(
        """
        heat_template_version: 2016-10-14
        resources:
          a: {type: OS::Nope}
          b: {type: OS::Heat::RandomString, properties: {length: x}}
          c: {type: OS::Heat::None, depends_on: zzz}
        """
    )
    messages = [str(e) for e in result.errors]
    assert len(messages) == 3, messages
    assert {e.line for e in result.errors} == {4, 5, 6}


def test_invalid_deletion_policy_is_an_error() -> None:
    error = only_error(
        check(
            """
            heat_template_version: 2016-10-14
            resources:
              a: {type: OS::Heat::None, deletion_policy: Destroy}
            """
        )
    )
    assert error.message == 'Invalid deletion policy "Destroy"'


def test_lowercase_deletion_policy_arrives_in_newton() -> None:
    text = """
        heat_template_version: {v}
        resources:
          a: {{type: OS::Heat::None, deletion_policy: retain}}
        """
    assert check(text.format(v="2016-10-14")).errors == []
    assert only_error(check(text.format(v="2016-04-08"))).message == (
        'Invalid deletion policy "retain"'
    )


def test_unknown_resource_keyword_is_an_error() -> None:
    error = only_error(
        check(
            """
            heat_template_version: 2016-10-14
            resources:
              a: {type: OS::Heat::None, propertys: {}}
            """
        )
    )
    assert error.message == "Invalid keyword(s) inside a resource definition: propertys"


def test_parameter_and_resource_may_not_share_a_name() -> None:
    error = only_error(
        check(
            """
            heat_template_version: 2016-10-14
            parameters:
              a: {type: string, default: x}
            resources:
              a: {type: OS::Heat::None}
            """
        )
    )
    assert error.message == "Duplicate names {'a'}"


PROVIDER = """\
heat_template_version: 2016-10-14
parameters:
  name: {type: string}
  size: {type: number, default: 1}
resources:
  inner: {type: OS::Heat::None}
outputs:
  greeting: {value: {get_param: name}}
"""


def test_provider_template_parameters_are_the_properties() -> None:
    result = check(
        """
        heat_template_version: 2016-10-14
        resources:
          member:
            type: member.yaml
            properties: {name: one, size: 2}
        outputs:
          o: {value: {get_attr: [member, greeting]}}
        """,
        files={"member.yaml": PROVIDER},
    )
    assert result.errors == []
    assert "member" in result.nested


def test_provider_template_rejects_unknown_properties_and_attributes() -> None:
    result = check(
        """
        heat_template_version: 2016-10-14
        resources:
          member:
            type: member.yaml
            properties: {name: one, colour: red}
        outputs:
          o: {value: {get_attr: [member, farewell]}}
        """,
        files={"member.yaml": PROVIDER},
    )
    messages = " | ".join(str(e) for e in result.errors)
    assert "Unknown Property colour" in messages
    assert "The Referenced Attribute (member farewell) is incorrect." in messages


def test_error_inside_a_provider_template_names_that_file() -> None:
    broken = PROVIDER.replace("OS::Heat::None", "OS::Heat::Nothing")
    result = check(
        """
        heat_template_version: 2016-10-14
        resources:
          member: {type: member.yaml, properties: {name: x}}
        """,
        files={"member.yaml": broken},
    )
    error = only_error(result)
    assert error.message == "The Resource Type (OS::Heat::Nothing) could not be found."
    assert (error.file, error.line) == ("member.yaml", 6)


def test_missing_provider_template_file_is_an_error() -> None:
    error = only_error(
        check(
            """
            heat_template_version: 2016-10-14
            resources:
              member: {type: missing.yaml}
            """
        )
    )
    assert 'Could not fetch remote template "missing.yaml"' in error.message


def test_registry_alias_maps_a_type() -> None:
    result = check(
        """
        heat_template_version: 2016-10-14
        resources:
          a: {type: My::Thing}
        """,
        env="resource_registry:\n  My::Thing: OS::Heat::None\n",
    )
    assert result.errors == []


def test_validate_body_lists_parameters_like_heat() -> None:
    result = check(
        """
        heat_template_version: 2016-10-14
        description: demo
        parameters:
          flavor:
            type: string
            default: m1.small
            label: Flavor
            description: What size
        """
    )
    body = validate_body(result)
    assert body["Description"] == "demo"
    assert body["Parameters"]["flavor"]["Type"] == "String"
    assert body["Parameters"]["flavor"]["Default"] == "m1.small"
    assert body["Parameters"]["flavor"]["NoEcho"] == "false"
    assert "Environment" in body


@pytest.mark.parametrize("version", ["2013-05-23", "2016-10-14", "2021-04-16"])
def test_removed_and_unknown_functions_per_version(version: str) -> None:
    result = check(
        f"""
        heat_template_version: {version}
        resources:
          a:
            type: OS::Heat::Value
            properties:
              value: {{"Fn::Base64": hello}}
        """
    )
    if version == "2013-05-23":
        assert result.errors == []
    else:
        error = only_error(result)
        assert "The function Fn::Base64 is not supported in this version of HOT." in str(error)


def test_resource_group_member_type_must_exist() -> None:
    error = only_error(
        check(
            """
            heat_template_version: 2016-10-14
            resources:
              group:
                type: OS::Heat::ResourceGroup
                properties:
                  count: 2
                  resource_def:
                    type: OS::Heat::RandomStrin
            """
        )
    )
    assert error.message == "The Resource Type (OS::Heat::RandomStrin) could not be found."
    assert error.path[-2:] == ("resource_def", "type")
    assert error.line == 9


def test_resource_group_member_properties_are_checked_with_the_index_filled_in() -> None:
    result = check(
        """
        heat_template_version: 2016-10-14
        resources:
          group:
            type: OS::Heat::ResourceGroup
            properties:
              resource_def:
                type: OS::Heat::RandomString
                properties:
                  salt: "member-%index%"
                  length: lots
        """
    )
    error = only_error(result)
    assert "resources.group.properties.resource_def.properties.length" in str(error)


def test_resource_group_of_provider_templates_checks_their_parameters() -> None:
    result = check(
        """
        heat_template_version: 2016-10-14
        resources:
          group:
            type: OS::Heat::ResourceGroup
            properties:
              resource_def:
                type: member.yaml
                properties: {name: "m-%index%", colour: red}
        """,
        files={"member.yaml": PROVIDER},
    )
    assert "Unknown Property colour" in only_error(result).message


def test_resource_chain_member_types_must_exist() -> None:
    error = only_error(
        check(
            """
            heat_template_version: 2016-10-14
            resources:
              chain:
                type: OS::Heat::ResourceChain
                properties:
                  resources: [OS::Heat::None, OS::Heat::Nothing]
            """
        )
    )
    assert error.message == "The Resource Type (OS::Heat::Nothing) could not be found."
    assert error.path[-2:] == ("resources", 1)


def test_a_function_name_with_a_typo_is_data_and_fails_the_property_type() -> None:
    error = only_error(
        check(
            """
            heat_template_version: 2016-10-14
            parameters:
              n: {type: number, default: 8}
            resources:
              secret:
                type: OS::Heat::RandomString
                properties:
                  length: {get_parm: n}
            """
        )
    )
    assert str(error).startswith("Property error: resources.secret.properties.length:")
    assert error.line == 9


def test_update_policy_keys_are_checked_against_the_type() -> None:
    error = only_error(
        check(
            """
            heat_template_version: 2016-10-14
            resources:
              group:
                type: OS::Heat::ResourceGroup
                update_policy:
                  rolling_update: {max_batch_size: many}
                properties:
                  resource_def: {type: OS::Heat::None}
            """
        )
    )
    assert "max_batch_size" in str(error)


def test_allowed_pattern_must_match_the_whole_value() -> None:
    text = """
        heat_template_version: 2016-10-14
        parameters:
          p:
            type: string
            constraints: [{allowed_pattern: "a|ab"}]
        """
    assert check(text, params={"p": "ab"}).errors == []
    assert "p" in str(only_error(check(text, params={"p": "abc"})))


def test_output_reference_to_a_disabled_resource_is_an_error() -> None:
    error = only_error(
        check(
            """
            heat_template_version: 2016-10-14
            conditions:
              never: false
            resources:
              db: {type: OS::Heat::None, condition: never}
            outputs:
              o: {value: {get_resource: db}}
            """
        )
    )
    assert 'The specified reference "db"' in error.message


def test_value_is_checked_against_the_type_it_declares() -> None:
    text = """
        heat_template_version: 2016-10-14
        resources:
          v:
            type: OS::Heat::Value
            properties: {{type: number, value: {value}}}
        """
    assert check(text.format(value="3")).errors == []
    error = only_error(check(text.format(value="abc")))
    assert str(error).startswith("Property error: resources.v.properties.value:")


def test_value_without_a_type_takes_anything() -> None:
    result = check(
        """
        heat_template_version: 2016-10-14
        resources:
          v:
            type: OS::Heat::Value
            properties: {value: {a: [1, 2]}}
        """
    )
    assert result.errors == []
