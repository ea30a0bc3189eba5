"""Provider templates (Heat's TemplateResource): a template used as a resource type.

A resource whose type is a template file (``type: server.yaml``) or a
resource_registry name mapped to one runs that template as a nested stack.
Heat's rules: the resource's properties are the child's parameters, the
child's outputs are the resource's attributes, and an output named
``OS::stack_id`` is the resource's reference (``get_resource``); without
one the reference is the child stack's id.

The engine makes one subclass per provider template and stack (see
:func:`calor.engine.plugin_classes.resolve_type`), carrying the parsed
template and the registry entry that led to it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from calor.resources.nested import ChildStack, StackResource
from calor.template.resource_registry import RegistryEntry
from calor.template.schema import PropertyType

#: The output that, when a provider template has it, is the resource's reference.
STACK_ID_OUTPUT = "OS::stack_id"

#: Where the reference taken from ``OS::stack_id`` is kept between actions.
_REFERENCE_KEY = "reference_id"


class TemplateResource(StackResource):
    """A resource implemented by a provider template (a nested stack)."""

    type_name = "OS::Heat::TemplateResource"
    #: The provider template, as loaded from the files map.
    template: ClassVar[Mapping[str, Any]] = {}
    #: Its name in the files map (for error locations).
    template_name: ClassVar[str] = ""
    #: The registry entry mapping a type name to it (None for ``type: file.yaml``).
    registry_entry: ClassVar[RegistryEntry | None] = None

    _reference: str | None = None

    async def child_stack(self) -> ChildStack:
        return ChildStack(
            template=self.template, parameters=self.child_params(),
            provider=self.registry_entry, template_name=self.template_name,
        )

    def child_params(self) -> dict[str, Any]:
        """The properties as parameter values, the way Heat hands them down.

        A list becomes a comma-delimited string (a list of maps, Heat's
        ``.member.N.key=value`` form); anything else goes as it is.
        """
        params: dict[str, Any] = {}
        for name, value in self.properties.items():
            if value is None or name not in self.properties_schema:
                continue
            if self.properties_schema[name].type == PropertyType.LIST and isinstance(value, list):
                params[name] = _comma_delimited(value)
            else:
                params[name] = value
        return params

    async def child_ready(self) -> None:
        outputs = await self.child_outputs()
        reference = outputs.get(STACK_ID_OUTPUT)
        if reference is not None:
            self._reference = str(reference)
            await self.ctx.set_data(_REFERENCE_KEY, self._reference)

    async def reference_id(self) -> str:
        if self._reference is not None:
            return self._reference
        stored = (await self.ctx.get_data()).get(_REFERENCE_KEY)
        if stored is not None:
            return stored
        return self.ctx.physical_resource_id or self.ctx.resource_name

    async def resolve_attribute(self, name: str) -> Any:
        return (await self.child_outputs()).get(name)


def _comma_delimited(values: list[Any]) -> str:
    if values and isinstance(values[0], Mapping):
        return ",".join(
            f".member.{index}.{key}={value}"
            for index, item in enumerate(values)
            for key, value in item.items()
        )
    return ",".join("" if v is None else str(v) for v in values)
