"""The resource_registry: what each resource type named in a stack really is.

An environment's ``resource_registry`` section maps type names to other
things, and ``lookup`` follows those mappings the way Heat does:

- an alias (``OS::Networking::FloatingIP: OS::Neutron::FloatingIP``);
- a provider template (a value, or a key, ending ``.yaml`` or ``.template``);
- a glob (``OS::Quantum*: OS::Neutron*`` rewrites the prefix, and
  ``OS::Nova::*: OS::Heat::None`` maps many types onto one);
- ``null``, which deletes a mapping loaded earlier (with ``*``, every mapping
  the prefix matches).

The ``resources`` subtree holds per-resource settings, keyed by fnmatch
patterns of resource names: a type mapping that applies to that resource only,
``hooks`` (breakpoints) and ``restricted_actions``. Entries for resources of a
nested stack are nested under the entry of the resource that creates it, and
``child`` hands that subtree to the nested stack.

A user registry sits on top of a global one (``parent``, Heat's global
environment): user entries win over global ones, and among entries of one
registry the longer path (a per-resource mapping) wins. Globs compete with
exact names by comparing the paths as strings, as in Heat, so ``OS::Nova::*``
sorts (and wins) before ``OS::Nova::Server``.

Lookups have no side effects. Heat registers ``type: foo.yaml`` in the user
registry as a side effect of looking it up; here the caller does that with
``register_template_type`` so the stored environment shows it.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from calor.template.errors import EnvironmentError_

HOOK_TYPES = (
    "pre-create",
    "pre-update",
    "pre-delete",
    "post-create",
    "post-update",
    "post-delete",
)
RESTRICTED_ACTIONS = ("update", "replace")
TEMPLATE_SUFFIXES = (".yaml", ".template")

SECTION = "resource_registry"
RESOURCES = "resources"
HOOKS = "hooks"
RESTRICTED = "restricted_actions"

# A glob whose target extends its own prefix (``A*: AB*``) renames a type
# forever without ever repeating a name; stop after this many steps.
MAX_MAPPINGS = 50

EntryKind = Literal["template", "type"]
IsKnownType = Callable[[str], bool]


def is_template_name(name: str) -> bool:
    """Whether a type name or registry value names a provider template."""
    return name.endswith(TEMPLATE_SUFFIXES)


@dataclass(frozen=True)
class RegistryEntry:
    """What a resource type resolved to.

    ``kind`` is ``"template"`` (``target`` is the template's name or URL, a
    provider template) or ``"type"`` (``target`` is the final type name, for a
    plugin). ``chain`` lists the type names followed, from the one asked for
    to the one that decided. ``path`` is where the deciding entry sits in the
    registry (``()`` when no entry mapped the final type), and ``user`` tells
    whether it came from a user environment: user provider templates may only
    be fetched over http(s), global ones also from ``file:``.
    """

    kind: EntryKind
    target: str
    chain: tuple[str, ...]
    path: tuple[str, ...] = ()
    user: bool = False

    @property
    def type_name(self) -> str:
        """The type the resource takes: the registry key of the deciding entry."""
        return self.chain[-1]

    @property
    def template_name(self) -> str | None:
        return self.target if self.kind == "template" else None

    def same_as(self, other: RegistryEntry) -> bool:
        """Whether both came from the same registry entry (however reached)."""
        return (self.kind, self.target, self.path, self.user) == (
            other.kind,
            other.target,
            other.path,
            other.user,
        )


@dataclass(frozen=True)
class _Mapping:
    """One stored mapping; ``plugin`` stands for a type nothing maps further."""

    path: tuple[str, ...]
    value: str
    kind: Literal["template", "alias", "glob", "plugin"]
    user: bool

    @property
    def name(self) -> str:
        return self.path[-1]

    def matches(self, type_name: str) -> bool:
        # A many-to-one glob must not catch its own target (OS::* -> OS::Heat::None).
        return type_name != self.value and type_name.startswith(self.name[:-1])

    def rename(self, type_name: str) -> str:
        if self.kind == "glob" and self.value.endswith("*"):
            return self.value[:-1] + type_name[len(self.name) - 1 :]
        return self.value

    def sort_key(self) -> tuple[bool, int, tuple[str, ...]]:
        # User entries first, then longer (more specific) paths, then by path.
        return (not self.user, -len(self.path), self.path)


class ResourceRegistry:
    """The resource_registry of one environment, optionally above a global one.

    ``snippet`` is the section's mapping; more can be loaded on top with
    ``load`` (later entries replace earlier ones, ``null`` deletes).
    ``is_global`` marks Heat's global environment: its entries rank below
    every user entry and it does not turn ``type: foo.yaml`` into a template.
    """

    def __init__(
        self,
        snippet: Mapping[str, Any] | None = None,
        *,
        parent: ResourceRegistry | None = None,
        is_global: bool = False,
    ) -> None:
        self.parent = parent
        self.is_global = is_global
        self._tree: dict[str, Any] = {RESOURCES: {}}
        # Paths deleted by ``null``, replayed when this registry is overlaid on another.
        self._deleted: list[tuple[str, ...]] = []
        if snippet is not None:
            self.load(snippet)

    # -- building ----------------------------------------------------------

    def load(self, snippet: Mapping[str, Any]) -> None:
        """Apply a ``resource_registry`` mapping on top of what is loaded."""
        if not isinstance(snippet, Mapping):
            raise EnvironmentError_(
                f'environment section "{SECTION}" must be a map', path=(SECTION,)
            )
        self._load((), snippet)

    def overlay(self, other: ResourceRegistry) -> None:
        """Apply another registry on top of this one, deletions included."""
        for path in other._deleted:
            self._delete(path)
        self._load((), other.to_dict())

    def register_template_type(self, name: str) -> None:
        """Record ``type: <name>.yaml`` as a provider template of this registry."""
        if not isinstance(self._tree.get(name), _Mapping):
            self._tree[name] = _Mapping((name,), name, "template", not self.is_global)

    def copy(self) -> ResourceRegistry:
        twin = ResourceRegistry(parent=self.parent, is_global=self.is_global)
        twin._tree = _copy_tree(self._tree)
        twin._deleted = list(self._deleted)
        return twin

    def _load(self, prefix: tuple[str, ...], snippet: Mapping[Any, Any]) -> None:
        for key, value in snippet.items():
            here = (*prefix, str(key))
            if not isinstance(key, str):
                raise EnvironmentError_(
                    f"resource registry key {key!r} must be a string", path=(SECTION, *here)
                )
            if value is None:
                self._delete(here)
                self._deleted.append(here)
            elif key == HOOKS:
                _check_choices(value, HOOK_TYPES, _hook_message, here)
                self._place(here, _copy_tree(value))
            elif key == RESTRICTED:
                _check_choices(value, RESTRICTED_ACTIONS, _restricted_message, here)
                self._place(here, _copy_tree(value))
            elif isinstance(value, Mapping):
                self._load(here, value)
            elif here == (RESOURCES,):
                raise EnvironmentError_(
                    f'"{RESOURCES}" in the resource registry must be a map',
                    path=(SECTION, RESOURCES),
                )
            elif isinstance(value, str):
                self._place(here, self._mapping(here, value))
            else:
                raise EnvironmentError_(
                    f'"{key}" must map to a resource type or a template name, not {value!r}',
                    path=(SECTION, *here),
                )

    def _mapping(self, path: tuple[str, ...], value: str) -> _Mapping:
        name, user = path[-1], not self.is_global
        if is_template_name(name):
            # The key itself is the template; whatever value was given is ignored.
            return _Mapping(path, name, "template", user)
        if is_template_name(value):
            return _Mapping(path, value, "template", user)
        if name.endswith("*"):
            return _Mapping(path, value, "glob", user)
        return _Mapping(path, value, "alias", user)

    def _place(self, path: tuple[str, ...], node: Any) -> None:
        level = self._tree
        for key in path[:-1]:
            if not isinstance(level.get(key), dict):
                level[key] = {}
            level = level[key]
        level[path[-1]] = node

    def _delete(self, path: tuple[str, ...]) -> None:
        level: Any = self._tree
        for key in path[:-1]:
            level = level.get(key)
            if not isinstance(level, dict):
                return
        name = path[-1]
        if name.endswith("*"):
            # A glob deletes every mapping its prefix matches (not the subtrees).
            for key in [k for k, v in level.items() if isinstance(v, _Mapping)]:
                if key.startswith(name[:-1]):
                    del level[key]
        else:
            level.pop(name, None)
        if path == (RESOURCES,):
            self._tree[RESOURCES] = {}

    # -- reading -----------------------------------------------------------

    def lookup(
        self,
        type_name: str,
        resource_name: str | None = None,
        *,
        kind: EntryKind | None = None,
        ignore: RegistryEntry | None = None,
        is_known_type: IsKnownType | None = None,
    ) -> RegistryEntry | None:
        """What ``type_name`` (of resource ``resource_name``) resolves to.

        A type that nothing maps resolves to itself (kind ``"type"``, empty
        ``path``). ``is_known_type`` says which final type names have a plugin:
        a mapping that ends on an unknown type is skipped for the next
        candidate, as Heat skips mappings to types it cannot find. ``kind``
        keeps only results of that kind (a TemplateResource asks for
        ``"template"``) and ``ignore`` skips one earlier result (the facade
        check asks what the type would be without its provider template).
        None when nothing qualifies. A loop of mappings is an error.
        """
        for entry in self._resolutions(type_name, resource_name, is_known_type, (), ()):
            if kind is not None and entry.kind != kind:
                continue
            if ignore is not None and entry.same_as(ignore):
                continue
            return entry
        return None

    def has_resource_entry(self, resource_name: str) -> bool:
        """True when a ``resources.<resource_name>`` entry could change a type lookup."""
        registry: ResourceRegistry | None = self
        while registry is not None:
            if isinstance(registry._tree[RESOURCES].get(resource_name), dict):
                return True
            registry = registry.parent
        return False

    def hooks_for(self, resource_name: str) -> frozenset[str]:
        """The breakpoints set on ``resource_name`` (every matching pattern counts).

        Only this registry's own ``resources`` entries count, not the global
        registry's, as in Heat.
        """
        return self._per_resource(resource_name, HOOKS)

    def restricted_actions_for(self, resource_name: str) -> frozenset[str]:
        """The actions (``update``, ``replace``) ``resource_name`` may not undergo."""
        return self._per_resource(resource_name, RESTRICTED)

    def matches_hook(self, resource_name: str, hook: str) -> bool:
        return hook in self.hooks_for(resource_name)

    def child(
        self, resource_name: str | None = None, *, provider: RegistryEntry | None = None
    ) -> ResourceRegistry:
        """The registry of the nested stack that ``resource_name`` creates.

        The child inherits every mapping and the same global parent. Its
        ``resources`` subtree becomes the contents of the entries whose
        patterns match ``resource_name`` (the exact entry last, so it wins).
        ``provider``, the template entry that made the resource a nested
        stack, is dropped so the template's own resources of that type
        resolve past it.
        """
        snippet = self.to_dict()
        if provider is not None and provider.kind == "template":
            _drop(snippet, provider.path, provider.target)
        if resource_name is not None:
            entries = snippet[RESOURCES]
            narrowed: dict[str, Any] = {}
            for pattern, entry in entries.items():
                if isinstance(entry, dict) and fnmatch.fnmatchcase(resource_name, pattern):
                    narrowed.update(entry)
            if isinstance(entries.get(resource_name), dict):
                narrowed.update(entries[resource_name])
            snippet[RESOURCES] = narrowed
        return ResourceRegistry(snippet, parent=self.parent, is_global=self.is_global)

    def template_types(self) -> tuple[RegistryEntry, ...]:
        """Every provider-template mapping of this registry (not its parent's)."""
        return tuple(
            RegistryEntry("template", m.value, (m.name,), m.path, m.user)
            for m in _walk_mappings(self._tree)
            if m.kind == "template"
        )

    def to_dict(self) -> dict[str, Any]:
        """The registry as an environment file would say it (deletions applied)."""
        plain: dict[str, Any] = _plain(self._tree)
        return plain

    # -- resolution ----------------------------------------------------------

    def _resolutions(
        self,
        type_name: str,
        resource_name: str | None,
        is_known_type: IsKnownType | None,
        chain: tuple[str, ...],
        seen: tuple[tuple[int, str], ...],
    ) -> Iterator[RegistryEntry]:
        """Each candidate entry's resolution, best candidate first."""
        chain = (*chain, type_name)
        seen = (*seen, (id(self), type_name))
        candidates = sorted(
            self._candidates(type_name, resource_name, is_known_type),
            key=lambda owned: owned[1].sort_key(),
        )
        for owner, mapping in candidates:
            if mapping.kind == "plugin":
                yield RegistryEntry("type", type_name, chain)
            elif mapping.kind == "template":
                yield RegistryEntry("template", mapping.value, chain, mapping.path, mapping.user)
            else:
                renamed = mapping.rename(type_name)
                _check_progress(owner, renamed, mapping, chain, seen)
                found = owner._resolutions(renamed, resource_name, is_known_type, chain, seen)
                first = next(found, None)
                if first is not None:
                    yield first

    def _candidates(
        self, type_name: str, resource_name: str | None, is_known_type: IsKnownType | None
    ) -> list[tuple[ResourceRegistry, _Mapping]]:
        found: list[_Mapping] = []
        if not self.is_global and is_template_name(type_name):
            registered = self._tree.get(type_name)
            if not isinstance(registered, _Mapping):
                registered = _Mapping((type_name,), type_name, "template", True)
            found.append(registered)
        if resource_name is not None:
            specific = self._tree[RESOURCES].get(resource_name)
            if isinstance(specific, dict) and isinstance(specific.get(type_name), _Mapping):
                found.append(specific[type_name])
        exact = self._tree.get(type_name)
        if isinstance(exact, _Mapping) and exact not in found:
            found.append(exact)
        for node in self._tree.values():
            is_glob = isinstance(node, _Mapping) and node.kind == "glob"
            if is_glob and node.matches(type_name) and node not in found:
                found.append(node)
        owned = [(self, mapping) for mapping in found]
        if self.parent is not None:
            owned += self.parent._candidates(type_name, resource_name, is_known_type)
        else:
            # Below the bottom registry lie the plugins: a name is itself unless
            # the caller says no plugin has it. A global mapping of the same
            # name replaces the plugin and a global null disables it, as in
            # Heat; a user null cannot disable a plugin.
            replaced = self.is_global and (isinstance(exact, _Mapping) or self._disables(type_name))
            if not replaced and (is_known_type is None or is_known_type(type_name)):
                owned.append((self, _Mapping((type_name,), type_name, "plugin", False)))
        return owned

    def _disables(self, type_name: str) -> bool:
        for path in self._deleted:
            if len(path) != 1:
                continue
            name = path[0]
            if name == type_name or (name.endswith("*") and type_name.startswith(name[:-1])):
                return True
        return False

    def _per_resource(self, resource_name: str, key: str) -> frozenset[str]:
        values: set[str] = set()
        for pattern, entry in self._tree[RESOURCES].items():
            if not isinstance(entry, dict) or key not in entry:
                continue
            if fnmatch.fnmatchcase(resource_name, pattern):
                setting = entry[key]
                values.update([setting] if isinstance(setting, str) else setting)
        return frozenset(values)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ResourceRegistry):
            return NotImplemented
        return (self.to_dict(), self.is_global, self.parent) == (
            other.to_dict(),
            other.is_global,
            other.parent,
        )

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"ResourceRegistry({self.to_dict()!r})"


def _check_progress(
    owner: ResourceRegistry,
    renamed: str,
    mapping: _Mapping,
    chain: tuple[str, ...],
    seen: tuple[tuple[int, str], ...],
) -> None:
    route = " -> ".join((*chain, renamed))
    if (id(owner), renamed) in seen:
        raise EnvironmentError_(
            f'Resource type "{chain[0]}" is mapped in a loop: {route}',
            path=(SECTION, *mapping.path),
        )
    if len(chain) >= MAX_MAPPINGS:
        raise EnvironmentError_(
            f'Resource type "{chain[0]}" does not resolve within {MAX_MAPPINGS} mappings: '
            f"{chain[0]} -> {chain[1]} -> ... -> {renamed}",
            path=(SECTION, *mapping.path),
        )


def _hook_message(value: Any) -> str:
    return (
        f'Invalid hook type "{value}" for resource breakpoint, '
        f"acceptable hook types are: {HOOK_TYPES}"
    )


def _restricted_message(value: Any) -> str:
    return (
        f'Invalid restricted_action type "{value}" for resource, '
        f"acceptable restricted_action types are: {RESTRICTED_ACTIONS}"
    )


def _check_choices(
    value: Any,
    choices: tuple[str, ...],
    message: Callable[[Any], str],
    path: tuple[str, ...],
) -> None:
    """``hooks``/``restricted_actions``: one allowed name, or a list of them."""
    if isinstance(value, str):
        valid = value in choices
    elif isinstance(value, list | tuple):
        valid = all(isinstance(item, str) and item in choices for item in value)
    else:
        valid = False
    if not valid:
        raise EnvironmentError_(message(value), path=(SECTION, *path))


def _drop(snippet: dict[str, Any], path: tuple[str, ...], template: str) -> None:
    """Remove the mapping at ``path`` if it is still that template."""
    level: Any = snippet
    for key in path[:-1]:
        level = level.get(key)
        if not isinstance(level, dict):
            return
    if level.get(path[-1]) == template:
        del level[path[-1]]


def _walk_mappings(level: Mapping[str, Any]) -> Iterator[_Mapping]:
    for node in level.values():
        if isinstance(node, _Mapping):
            yield node
        elif isinstance(node, dict):
            yield from _walk_mappings(node)


def _plain(node: Any) -> Any:
    if isinstance(node, _Mapping):
        return node.value
    if isinstance(node, dict):
        return {key: _plain(value) for key, value in node.items()}
    if isinstance(node, list | tuple):
        return list(node)
    return node


def _copy_tree(node: Any) -> Any:
    # Mappings are frozen and shared; containers are copied.
    if isinstance(node, dict):
        return {key: _copy_tree(value) for key, value in node.items()}
    if isinstance(node, list | tuple):
        return list(node)
    return node
