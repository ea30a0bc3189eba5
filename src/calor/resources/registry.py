"""The registry of resource types: type name -> plugin class and schema.

Plugins are checked when they register, not when a stack first uses them
(as pluggy checks hook implementations): a bad type name, a duplicate, or a
malformed schema is refused with an error naming the plugin class and the
type. Third-party plugins arrive through the ``calor.resources`` entry-point
group.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Iterable, Iterator
from importlib.metadata import entry_points

from calor.resources.base import Resource
from calor.template.resource_types import ResourceTypeSchema
from calor.template.schema import Support

#: The entry-point group third-party resource plugins are published under.
ENTRY_POINT_GROUP = "calor.resources"

#: ``Namespace::Service::Type``, with more ``::Part``s allowed
#: (OS::Neutron::LBaaS::LoadBalancer).
_TYPE_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]*(::[A-Za-z0-9_]+){2,}")


def _qualname(plugin: object) -> str:
    module = getattr(plugin, "__module__", None)
    name = getattr(plugin, "__qualname__", None) or repr(plugin)
    return f"{module}.{name}" if module else name


class PluginValidationError(Exception):
    """A resource plugin that cannot be registered, with every reason why."""

    def __init__(self, plugin: object, type_name: str | None, problems: Iterable[str]) -> None:
        self.plugin = plugin
        self.type_name = type_name
        self.problems = tuple(problems)
        where = _qualname(plugin) + (f" ({type_name})" if type_name else "")
        super().__init__(f"Resource plugin {where} is invalid: {'; '.join(self.problems)}")


#: The lifecycle methods the engine awaits: a plugin's overrides must be coroutines.
LIFECYCLE_METHODS = (
    "create",
    "update",
    "delete",
    "check",
    "suspend",
    "resume",
    "signal",
    "resolve_attribute",
)


def _lifecycle_problems(plugin: type[Resource]) -> list[str]:
    found: list[str] = []
    for name in LIFECYCLE_METHODS:
        method = getattr(plugin, name, None)
        if method is getattr(Resource, name):
            continue
        # A sync override would hand the engine a value where it awaits a coroutine.
        if not inspect.iscoroutinefunction(method):
            found.append(f"lifecycle method {name} is not a coroutine function (async def)")
    return found


def _schema_problems(schema: ResourceTypeSchema) -> list[str]:
    found: list[str] = []
    for name, prop in schema.properties.items():
        found.extend(f"property {p}" for p in prop.problems(name))
    for name, prop in schema.update_policy.items():
        found.extend(f"update policy {p}" for p in prop.problems(name))
    for name, attr in schema.attributes.items():
        if name == "*":
            found.append("Invalid attribute name '*'")
        found.extend(attr.problems(name))
    return found


class ResourceTypeRegistry:
    """Resource types by name; what template validation consults (a TypeSchemas)."""

    def __init__(self, plugins: Iterable[type[Resource]] = ()) -> None:
        self._classes: dict[str, type[Resource]] = {}
        self._schemas: dict[str, ResourceTypeSchema] = {}
        for plugin in plugins:
            self.register(plugin)

    def register(self, plugin: type[Resource]) -> type[Resource]:
        """Check ``plugin`` and add it; returns it, so this works as a decorator."""
        if not (isinstance(plugin, type) and issubclass(plugin, Resource)):
            raise PluginValidationError(
                plugin, None, ["not a subclass of calor.resources.Resource"]
            )
        type_name = getattr(plugin, "type_name", None)
        if not isinstance(type_name, str):
            raise PluginValidationError(plugin, None, ["it declares no type_name"])
        if not _TYPE_NAME.fullmatch(type_name):
            raise PluginValidationError(
                plugin,
                type_name,
                [f"type name {type_name!r} is not of the form Namespace::Service::Type"],
            )
        existing = self._classes.get(type_name)
        if existing is not None:
            raise PluginValidationError(
                plugin,
                type_name,
                [f"type {type_name} is already registered by {_qualname(existing)}"],
            )
        try:
            schema = plugin.type_schema()
        except (TypeError, ValueError, AttributeError) as exc:
            raise PluginValidationError(plugin, type_name, [f"bad schema: {exc}"]) from exc
        problems = [*_lifecycle_problems(plugin), *_schema_problems(schema)]
        if problems:
            raise PluginValidationError(plugin, type_name, problems)
        self._classes[type_name] = plugin
        self._schemas[type_name] = schema
        return plugin

    def load_entry_points(self, group: str = ENTRY_POINT_GROUP) -> list[str]:
        """Register every plugin class published under ``group``; their type names."""
        loaded: list[str] = []
        for entry in entry_points(group=group):
            plugin = entry.load()
            self.register(plugin)
            loaded.append(plugin.type_name)
        return loaded

    def get(self, type_name: str) -> ResourceTypeSchema | None:
        return self._schemas.get(type_name)

    def get_class(self, type_name: str) -> type[Resource] | None:
        return self._classes.get(type_name)

    def list_types(
        self,
        name_filter: str | None = None,
        support_status: str | None = None,
        version: str | None = None,
        with_hidden: bool = False,
    ) -> list[str]:
        """Type names, sorted, filtered as Heat's ``GET /resource_types``.

        ``name_filter`` is a regular expression matched at the start of the
        name (Heat's ``re.match``); an invalid one matches nothing.
        """
        if support_status is not None and support_status not in Support.__members__:
            statuses = tuple(str(s) for s in Support)
            raise ValueError(f"Invalid support status and should be one of {statuses}")
        pattern: re.Pattern[str] | None = None
        if name_filter is not None:
            try:
                pattern = re.compile(name_filter)
            except re.error:
                return []

        def matches(name: str, schema: ResourceTypeSchema) -> bool:
            status = schema.support_status
            return (
                (with_hidden or not status.hidden)
                and (pattern is None or pattern.match(name) is not None)
                and (version is None or status.version == version)
                and (support_status is None or status.status == support_status)
            )

        return sorted(n for n, s in self._schemas.items() if matches(n, s))

    def __contains__(self, type_name: object) -> bool:
        return type_name in self._schemas

    def __iter__(self) -> Iterator[str]:
        return iter(sorted(self._schemas))

    def __len__(self) -> int:
        return len(self._schemas)


def default_registry() -> ResourceTypeRegistry:
    """A new registry holding every built-in resource type."""
    # Imported here: the built-in plugins import this package's base module.
    from calor.resources.aws import RESOURCE_TYPES as AWS_TYPES
    from calor.resources.heat import RESOURCE_TYPES as HEAT_TYPES
    from calor.resources.openstack import RESOURCE_TYPES as OPENSTACK_TYPES

    return ResourceTypeRegistry((*HEAT_TYPES, *AWS_TYPES, *OPENSTACK_TYPES))
