"""A loaded template: its version and its sections, checked for shape.

:class:`Template` holds what the template *says*. It knows nothing of
parameter values, which are bound later by
:class:`~calor.template.stack_definition.StackDefinition`. HOT and the CFN
formats spell their sections and keys differently; :class:`Spelling` maps
Calor's (HOT) names onto each format's own, so the rest of the package uses
one vocabulary.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from calor.template.errors import (
    InvalidTemplateSection,
    StackValidationFailed,
    TemplateError,
    TemplateSyntaxError,
)
from calor.template.loader import DEFAULT_MAX_TEMPLATE_SIZE, attach_location, load_template
from calor.template.types import Files
from calor.template.versions import TemplateVersion, detect


@dataclass(frozen=True)
class Spelling:
    """How one template format spells each section and key."""

    description: str
    parameter_groups: str
    parameters: str
    resources: str
    outputs: str
    conditions: str
    mappings: str
    # resource keys
    type: str
    properties: str
    metadata: str
    depends_on: str
    deletion_policy: str
    update_policy: str
    res_description: str
    external_id: str
    condition: str
    # output keys
    value: str
    out_description: str
    out_condition: str


HOT = Spelling(
    description="description", parameter_groups="parameter_groups", parameters="parameters",
    resources="resources", outputs="outputs", conditions="conditions", mappings="",
    type="type", properties="properties", metadata="metadata", depends_on="depends_on",
    deletion_policy="deletion_policy", update_policy="update_policy",
    res_description="description", external_id="external_id", condition="condition",
    value="value", out_description="description", out_condition="condition",
)

CFN = Spelling(
    description="Description", parameter_groups="", parameters="Parameters",
    resources="Resources", outputs="Outputs", conditions="Conditions", mappings="Mappings",
    type="Type", properties="Properties", metadata="Metadata", depends_on="DependsOn",
    deletion_policy="DeletionPolicy", update_policy="UpdatePolicy",
    res_description="Description", external_id="", condition="Condition",
    value="Value", out_description="Description", out_condition="Condition",
)


class Template:
    """A template's version and sections, checked for shape but not evaluated.

    ``files`` is the files map (``get_file`` targets and provider templates),
    keyed as the template names them. ``filename`` and ``text`` let errors
    name the file and line.
    """

    def __init__(
        self,
        data: Mapping[Any, Any],
        *,
        files: Files | None = None,
        filename: str | None = None,
        text: str | None = None,
    ) -> None:
        self.data = data
        self.files: dict[str, str] = dict(files or {})
        self.filename = filename
        self.text = text
        try:
            self.version: TemplateVersion = detect(data)
            self.spelling = HOT if self.version.format == "hot" else CFN
            self._check_sections()
        except TemplateError as exc:
            raise self.locate(exc) from None

    @classmethod
    def from_text(
        cls,
        text: str | bytes,
        *,
        filename: str | None = None,
        files: Files | None = None,
        max_size: int = DEFAULT_MAX_TEMPLATE_SIZE,
    ) -> Template:
        """Load YAML or JSON text (size-checked) into a Template."""
        if isinstance(text, bytes):
            try:
                text = text.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise TemplateSyntaxError(
                    f"The template is not valid UTF-8: {exc}", file=filename
                ) from None
        data = load_template(text, filename=filename, max_size=max_size)
        return cls(data, files=files, filename=filename, text=text)

    def locate(self, error: TemplateError) -> TemplateError:
        """Fill in this template's file name and the line of the error's path."""
        return attach_location(error, self.text, self.filename)

    # -- sections ----------------------------------------------------------

    def _check_sections(self) -> None:
        allowed = self.version.sections
        for key in self.data:
            if key not in allowed:
                raise InvalidTemplateSection(
                    f"The template section is invalid: {key}", path=(key,)
                )
        resources = self.data.get(self.spelling.resources)
        if resources is not None and not isinstance(resources, Mapping):
            raise StackValidationFailed(
                f'"{self.spelling.resources}" must contain a map of resource maps. '
                f"Found a [{type(resources)}] instead",
                path=(self.spelling.resources,),
            )
        for name, body in (resources or {}).items():
            if not isinstance(body, Mapping):
                # Heat's CFN-era wording, which it also uses for HOT here.
                raise StackValidationFailed(
                    f"Resources must contain Resource. Found a [{type(body)}] instead",
                    path=(self.spelling.resources, name),
                )
            if not body or not body.get(self.spelling.type):
                if self.version.format == "hot":
                    message = "Each resource must contain a type key."
                else:
                    message = "Each Resource must contain a Type key."
                raise StackValidationFailed(message, path=(self.spelling.resources, name))

    def section(self, name: str, default: Any = None) -> Any:
        """A section by its spelling in this format; a null section is ``default``."""
        if not name:
            return default
        value = self.data.get(name)
        return default if value is None else value

    @property
    def description(self) -> str:
        value = self.section(self.spelling.description)
        if value is None:
            return "No description" if self.version.format == "hot" else ""
        return str(value)

    @property
    def parameters(self) -> Mapping[str, Any]:
        value = self.section(self.spelling.parameters, {})
        if not isinstance(value, Mapping):
            raise self.locate(
                StackValidationFailed(
                    "The parameters section must be a map.", path=(self.spelling.parameters,)
                )
            )
        return value

    @property
    def parameter_groups(self) -> Any:
        return self.section(self.spelling.parameter_groups, [])

    @property
    def resources(self) -> Mapping[str, Mapping[str, Any]]:
        value: Mapping[str, Mapping[str, Any]] = self.section(self.spelling.resources, {})
        return value

    @property
    def outputs(self) -> Any:
        return self.section(self.spelling.outputs, {})

    @property
    def conditions(self) -> Any:
        if not self.version.has_conditions:
            return {}
        return self.section(self.spelling.conditions, {})

    @property
    def mappings(self) -> Mapping[str, Any]:
        value = self.section(self.spelling.mappings, {})
        return value if isinstance(value, Mapping) else {}

    def resource_path(self, name: str, *rest: str | int) -> tuple[str | int, ...]:
        return (self.spelling.resources, name, *rest)

    def __repr__(self) -> str:
        return f"<Template {self.version.name} {self.filename or ''}>".replace(" >", ">")
