"""The template language: pure, with no database, network, clock or file access.

Give it template text (and a files map for ``get_file`` and provider
templates), an environment and parameter values; get back a parsed stack
definition and every problem found, each with its path and line::

    template = Template.from_text(text, filename="web.yaml")
    result = validate(StackDefinition(template), types)
    for error in result.errors:
        print(error.describe())

``types`` is any :class:`TypeSchemas` (the built-in types are
``calor.resources.default_registry()``; this package never imports it).
"""

from __future__ import annotations

from calor.template.definitions import OutputDefinition, ResourceDefinition
from calor.template.environment import Environment, merge_environments, stack_environment
from calor.template.errors import (
    CircularDependency,
    InvalidTemplateReference,
    InvalidTemplateVersion,
    ResourceTypeNotFound,
    StackValidationFailed,
    TemplateError,
    TemplateSyntaxError,
    UnknownUserParameter,
    UserParameterMissing,
    ValidationErrors,
)
from calor.template.function import Function, Macro
from calor.template.parameters import Parameters, ParameterSchema
from calor.template.resource_registry import RegistryEntry, ResourceRegistry
from calor.template.resource_types import ResourceTypeSchema, TypeSchemas
from calor.template.schema import (
    AttributeSchema,
    Properties,
    PropertySchema,
    PropertyType,
    SupportStatus,
)
from calor.template.snippets import DictContext, SnippetScope, evaluate
from calor.template.stack_definition import StackDefinition
from calor.template.template import Template
from calor.template.types import Path, ResolveContext
from calor.template.validation import Validation, validate, validate_body
from calor.template.versions import ALL_VERSIONS, TemplateVersion

__all__ = [
    "ALL_VERSIONS",
    "AttributeSchema",
    "CircularDependency",
    "DictContext",
    "Environment",
    "Function",
    "InvalidTemplateReference",
    "InvalidTemplateVersion",
    "Macro",
    "OutputDefinition",
    "ParameterSchema",
    "Parameters",
    "Path",
    "Properties",
    "PropertySchema",
    "PropertyType",
    "RegistryEntry",
    "ResolveContext",
    "ResourceDefinition",
    "ResourceRegistry",
    "ResourceTypeNotFound",
    "ResourceTypeSchema",
    "SnippetScope",
    "StackDefinition",
    "StackValidationFailed",
    "SupportStatus",
    "Template",
    "TemplateError",
    "TemplateSyntaxError",
    "TemplateVersion",
    "TypeSchemas",
    "UnknownUserParameter",
    "UserParameterMissing",
    "Validation",
    "ValidationErrors",
    "evaluate",
    "merge_environments",
    "stack_environment",
    "validate",
    "validate_body",
]
