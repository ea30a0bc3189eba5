"""Errors raised by the store.

``error_type`` is the name Heat's API gives the same condition, so the API
layer can map each class to its HTTP answer in one place.

Hierarchy::

    StoreError
    ├── DatabaseUrlError       a URL that names no database Calor can use
    ├── DatabaseUnavailable    the database cannot be reached or opened
    ├── InvalidParameter       a sort direction, limit or field that makes no sense
    ├── StackExists            a second live stack with the same name in a project
    └── EntityNotFound         a row that is not there
        ├── StackNotFound
        ├── ResourceNotFound
        ├── EventNotFound
        ├── SnapshotNotFound
        ├── RawTemplateNotFound
        └── WorkUnitNotFound
"""

from __future__ import annotations


class StoreError(Exception):
    """Base class of every error the store raises on purpose."""

    error_type = "StoreError"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.message!r})"


class DatabaseUrlError(StoreError):
    """A database URL that cannot be parsed or names an unsupported database."""

    error_type = "DatabaseUrlError"


class DatabaseUnavailable(StoreError):
    """The database server refused us, or the database file cannot be opened."""

    error_type = "DatabaseUnavailable"


class InvalidParameter(StoreError):
    """A listing parameter (sort direction, limit) that makes no sense."""

    error_type = "Invalid"

    def __init__(self, reason: str) -> None:
        super().__init__(f"Data supplied was not valid: {reason}")
        self.reason = reason


class StackExists(StoreError):
    """Another live stack of the same project already has this name."""

    error_type = "StackExists"

    def __init__(self, stack_name: str) -> None:
        super().__init__(f"The Stack ({stack_name}) already exists.")
        self.stack_name = stack_name


class EntityNotFound(StoreError):
    """A row looked up by id or name that does not exist."""

    error_type = "EntityNotFound"
    entity = "Entity"

    def __init__(self, name: str | int) -> None:
        super().__init__(f"The {self.entity} ({name}) could not be found.")
        self.name = name


class StackNotFound(EntityNotFound):
    entity = "Stack"


class ResourceNotFound(EntityNotFound):
    entity = "Resource"


class EventNotFound(EntityNotFound):
    entity = "Event"


class SnapshotNotFound(EntityNotFound):
    entity = "Snapshot"


class RawTemplateNotFound(EntityNotFound):
    entity = "Template"


class WorkUnitNotFound(EntityNotFound):
    entity = "Work unit"
