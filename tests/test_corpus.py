"""Every template in the shared corpus, checked against Heat 27's own answers.

``../shared/corpus/heat-validate.json`` records what Heat answered to
``POST /validate`` for each file (see its README). Calor must agree:

- where Heat found a real error, Calor reports the same error (among all it finds);
- where Heat accepted the template, Calor accepts it and lists the same
  parameters, unless the template uses a resource type Calor does not have yet;
- where Heat's answer was only "that service is not in the catalog", Calor
  still loads the template and answers without crashing.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

import pytest

from calor.cli.template_files import load_template_bundle
from calor.resources import default_registry
from calor.service.templates import TemplateValidationFailed, api_error_type, check_template
from calor.template.errors import CircularDependency, ResourceTypeNotFound, TemplateError

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
ANSWERS = CORPUS / "heat-validate.json"

if not ANSWERS.exists():
    if os.environ.get("CI") == "true":
        raise RuntimeError(f"CI needs the shared corpus at {CORPUS}")
    pytest.skip(f"shared corpus not found at {CORPUS}", allow_module_level=True)

HEAT: dict[str, dict[str, Any]] = json.loads(ANSWERS.read_text())
REGISTRY = default_registry()
#: Where Heat's global environment keeps provider templates on a Heat host.
GLOBAL_TEMPLATE = 'Could not fetch remote template "file:///etc/heat/templates/'


#: Templates Heat never got to judge (a service was missing) that have real errors
#: of their own, which Calor, having the types, finds.
BROKEN_ON_THEIR_MERITS = {
    # StructuredConfig's config is a map; the template gives a list.
    "heat-templates/hot/software-config/example-templates/example-chef-template.yaml",
}


def calor_answer(key: str) -> tuple[bool, list[TemplateError], list[str]]:
    bundle = load_template_bundle(str(CORPUS / "heat-templates" / key), missing_ok=True)
    try:
        result = check_template(
            bundle.data, text=bundle.text, filename=bundle.filename, files=bundle.files
        )
    except TemplateValidationFailed as exc:
        return False, exc.errors, []
    return True, [], sorted(result.definition.parameter_schemas)


def same_error(heat: dict[str, Any], error: TemplateError) -> bool:
    """Does Calor's ``error`` say what Heat said?"""
    if api_error_type(error) != heat["error_type"]:
        return False
    message = heat["message"]
    if isinstance(error, CircularDependency):
        # Heat prints its graph; Calor names the cycle. Same resources?
        named = set(re.findall(r'"([^"]+)"', message))
        return set(error.cycle) <= named
    if message in (error.message, str(error)):
        return True
    fetch = re.match(r'(Could not fetch remote template "[^"]+")', message)
    if fetch:
        # Heat adds Python's own words for why the fetch failed.
        return error.message.startswith(fetch.group(1))
    return False


def missing_types(errors: list[TemplateError]) -> set[str]:
    return {e.type_name for e in errors if isinstance(e, ResourceTypeNotFound)}


@pytest.mark.parametrize("key", sorted(HEAT))
def test_calor_agrees_with_heat(key: str) -> None:
    heat = HEAT[key]
    valid, errors, params = calor_answer(key)
    if heat["valid"]:
        if valid:
            assert params == sorted(heat["parameters"])
        else:
            # The only acceptable reason: a type Calor does not register yet.
            others = [e for e in errors if not isinstance(e, ResourceTypeNotFound)]
            assert not others, [str(e) for e in others]
            assert all(REGISTRY.get(t) is None for t in missing_types(errors))
        return
    if heat["error_type"] == "ResourceTypeUnavailable" or GLOBAL_TEMPLATE in heat["message"]:
        # Heat had no such service (or its host lacked the provider template its
        # global environment maps the type to): that says nothing of the
        # template. Calor judges it on its merits, or lacks the type too.
        assert valid or missing_types(errors) or key in BROKEN_ON_THEIR_MERITS, [
            str(e) for e in errors]
        return
    assert not valid, "Heat rejected this template but Calor accepted it"
    assert any(same_error(heat, e) for e in errors), (
        heat["message"], [f"{api_error_type(e)}: {e}" for e in errors]
    )
