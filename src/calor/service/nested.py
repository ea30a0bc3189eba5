"""Child stacks for the plugins that run one (provider templates, groups, OS::Heat::Stack)."""

from __future__ import annotations

from typing import Any

from calor.service.stacks import StackService


def nested_stacks(service: StackService) -> Any:
    """What a worker hands its plugins to create, update and delete child stacks."""
    return None
