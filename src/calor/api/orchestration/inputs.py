"""The body of a stack create, update, preview or validate request, read as Heat reads it.

Heat's ``InstantiationData``: the template comes from ``adopt_stack_data``,
else ``template`` (a map, or JSON/YAML text), else ``template_url``; the
environment is the body's ``environment`` (a map or YAML text, ignored when
``environment_files`` are given) with the body's ``parameters`` on top;
``files`` holds every file the template and environments name.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import httpx
from pydantic import BaseModel, ConfigDict, Field

from calor.api.orchestration.params import MAX_LIMIT, bad_request, extract_int, extract_tags
from calor.config import Limits
from calor.template.errors import TemplateLimitExceeded
from calor.template.loader import load_template

#: How long a ``template_url`` fetch may take (Heat's ``template_fetch_timeout``).
FETCH_TIMEOUT_SECS = 60.0


class TemplateRequest(BaseModel):
    """What names a template and its inputs (every request that carries one)."""

    model_config = ConfigDict(extra="allow")

    template: dict[str, Any] | str | None = Field(
        None, description="The template: a map, or its JSON or YAML text.")
    template_url: str | None = Field(
        None, description="An http(s) URL to fetch the template from, when `template` "
        "is not given.")
    parameters: dict[str, Any] | None = Field(
        None, description="Parameter values (on top of the environment's).")
    environment: dict[str, Any] | str | None = Field(
        None, description="The environment: a map or YAML text (ignored when "
        "`environment_files` are given).")
    files: dict[str, str] | None = Field(
        None, description="Contents of every file the template and environments name.")
    environment_files: list[str] | None = Field(
        None, description="Names (keys of `files`) of environment files, merged in order.")
    files_container: str | None = Field(None, description="Not supported (a Swift container).")


class StackCreateRequest(TemplateRequest):
    """``POST /stacks`` and ``POST /stacks/preview``."""

    stack_name: str | None = Field(None, description="The new stack's name.")
    timeout_mins: int | str | None = Field(None, description="The action timeout, minutes.")
    disable_rollback: bool | None = Field(
        None, description="Keep a failed stack as it is (the default) instead of rolling back.")
    tags: str | list[str] | None = Field(None, description="Comma-separated tags.")
    adopt_stack_data: dict[str, Any] | str | None = Field(
        None, description="Abandon data of a stack to adopt (its template is used).")


class StackUpdateRequest(TemplateRequest):
    """``PUT`` and ``PATCH /stacks/{stack_name}/{stack_id}`` (and their previews)."""

    timeout_mins: int | str | None = None
    disable_rollback: bool | None = None
    tags: str | list[str] | None = None
    clear_parameters: list[str] | None = Field(
        None, description="PATCH: parameters whose stored values are dropped.")
    converge: bool | None = None


@dataclass
class StackInputs:
    """A request's template and inputs, ready for the stack service."""

    template: dict[str, Any] | None
    text: str | None
    environment: dict[str, Any] | str | None
    files: dict[str, str] = field(default_factory=dict)
    environment_files: list[str] | None = None
    parameters: dict[str, Any] = field(default_factory=dict)


async def read_inputs(body: TemplateRequest, *, patch: bool = False) -> StackInputs:
    """The template, environment and files of a request; 400 for what cannot be read."""
    if body.files_container is not None:
        raise bad_request("files_container is not supported: Calor has no object store.")
    template, text = await _template(body, patch=patch)
    return StackInputs(
        template=template, text=text,
        environment=None if body.environment_files else body.environment,
        files=dict(body.files or {}),
        environment_files=list(body.environment_files) if body.environment_files else None,
        parameters=dict(body.parameters or {}),
    )


async def _template(
    body: TemplateRequest, *, patch: bool
) -> tuple[dict[str, Any] | None, str | None]:
    limit = Limits.from_environment().max_template_size
    if isinstance(body, StackCreateRequest) and body.adopt_stack_data is not None:
        return None, None  # the adopt data holds it; read with the rest of that data
    if isinstance(body.template, dict):
        if len(str(body.template)) > limit:
            raise TemplateLimitExceeded(
                f"Template size ({len(str(body.template))} bytes) exceeds maximum allowed "
                f"size ({limit} bytes).")
        return body.template, None
    text = body.template
    if text is None and body.template_url:
        text = await _fetch(body.template_url, limit)
    if text is None:
        if patch:
            return None, None
        raise bad_request("No template specified")
    return load_template(text, max_size=limit), text


async def _fetch(url: str, limit: int) -> str:
    """A template from an http(s) URL, as Heat's ``urlfetch`` gets one."""
    if not url.startswith(("http://", "https://")):
        raise bad_request(f"Could not retrieve template: Invalid URL scheme in {url}")
    try:
        async with httpx.AsyncClient(timeout=FETCH_TIMEOUT_SECS, follow_redirects=True) as http, \
                http.stream("GET", url) as response:
            response.raise_for_status()
            chunks = []
            size = 0
            async for chunk in response.aiter_bytes():
                size += len(chunk)
                if size > limit:
                    raise TemplateLimitExceeded(
                        f"Template exceeds maximum allowed size ({limit} bytes)")
                chunks.append(chunk)
    except httpx.HTTPError as exc:
        raise bad_request(f"Could not retrieve template: Failed to retrieve template: "
                          f"{exc}") from None
    try:
        return b"".join(chunks).decode("utf-8")
    except UnicodeDecodeError:
        raise bad_request("Could not retrieve template: it is not UTF-8 text") from None


@dataclass(frozen=True)
class StackOptions:
    """The other create and update arguments, checked as Heat's ``prepare_args`` does."""

    timeout_mins: int | None
    disable_rollback: bool | None
    tags: list[str] | None


def stack_options(body: StackCreateRequest | StackUpdateRequest) -> StackOptions:
    timeout = extract_int("timeout_mins", body.timeout_mins)
    if timeout is not None and timeout > MAX_LIMIT:
        raise bad_request(f"Value '{timeout}' is invalid for 'timeout_mins' which only accepts "
                          f"integers up to {MAX_LIMIT}.")
    return StackOptions(
        timeout_mins=timeout or None,
        disable_rollback=body.disable_rollback,
        tags=extract_tags(body.tags),
    )
