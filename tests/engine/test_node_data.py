"""Resolving properties and outputs from what finished resources reported."""

from __future__ import annotations

import textwrap

from calor.engine.node_data import NodeData, RuntimeContext
from calor.engine.outputs import resolve_outputs
from calor.engine.states import Action, Status
from calor.template import function
from calor.template.stack_definition import StackDefinition
from calor.template.template import Template

TEMPLATE = textwrap.dedent(
    """\
    heat_template_version: 2016-10-14
    parameters:
      size: {type: number, default: 2}
    resources:
      secret: {type: OS::Heat::RandomString}
      copy:
        type: OS::Heat::Value
        properties:
          value: {list_join: ["-", [{get_resource: secret}, {get_attr: [secret, value]}]]}
    outputs:
      joined: {value: {get_attr: [copy, value]}, description: both}
      size: {value: {get_param: size}}
      broken: {value: {get_file: missing.txt}}
    """
)


def definition() -> StackDefinition:
    return StackDefinition(Template.from_text(TEMPLATE), stack_name="demo")


def created(name: str, ref: str, **attrs: object) -> NodeData:
    return NodeData(name, ref, attrs, Action.CREATE, Status.COMPLETE)


def test_properties_resolve_from_the_node_data_of_requirements() -> None:
    defn = definition()
    ctx = RuntimeContext(defn.parameters, {"secret": created("secret", "s3cr3t", value="s3cr3t")})
    props = function.resolve(defn.resources["copy"].properties, ctx)
    assert props == {"value": "s3cr3t-s3cr3t"}


def test_a_resource_not_yet_created_is_referenced_by_name_and_has_no_attributes() -> None:
    ctx = RuntimeContext({}, {"secret": NodeData("secret", None)})
    assert ctx.resource_ref("secret") == "secret"
    assert ctx.resource_attr("secret", "value", []) is None


def test_attributes_of_a_rolled_back_resource_can_be_read_but_not_all_at_once() -> None:
    node = NodeData("s", "id", {"value": 1}, Action.ROLLBACK, Status.COMPLETE)
    ctx = RuntimeContext({}, {"s": node})
    assert ctx.resource_attr("s", "value", []) == 1
    assert ctx.resource_attrs("s") is None


def test_node_data_round_trips_through_json_shapes() -> None:
    node = created("a", "id-1", first={"x": [1]})
    assert NodeData.from_dict(node.to_dict()) == node


def test_outputs_resolve_each_with_its_own_error() -> None:
    defn = definition()
    ctx = RuntimeContext(
        defn.parameters, {"copy": created("copy", "copy-1", value="abc")}, files={}
    )
    outputs = {o["output_key"]: o for o in resolve_outputs(defn, ctx)}
    assert outputs["joined"] == {"output_key": "joined", "description": "both",
                                 "output_value": "abc"}
    assert outputs["size"]["output_value"] == 2
    assert outputs["size"]["description"] == "No description given"
    assert outputs["broken"]["output_value"] is None
    assert "missing.txt" in outputs["broken"]["output_error"]
