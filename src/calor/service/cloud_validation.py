"""Validating a stack's template against its cloud, before anything is created.

``stack create`` and ``stack update`` of a template that names a missing
image, flavor, network, ... fail here, with the property's or parameter's
path, as Heat's do. Validation itself stays synchronous and pure: the
cloud lookups happen between two runs of it (see
:mod:`calor.resources.openstack.constraints`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from calor.clouds import Cloud
from calor.resources.openstack.constraints import CloudConstraints
from calor.service.templates import TemplateValidationFailed, check_template
from calor.template.validation import Validation


async def check_with_cloud(cloud: Cloud | None, template: Mapping[str, Any],
                           **kwargs: Any) -> Validation:
    """:func:`~calor.service.templates.check_template`, cloud-backed constraints included.

    Without a cloud only the local checks run. The cloud is asked only when
    the template has values under cloud-backed constraints, and then about
    all of them at once.
    """
    if cloud is None:
        return check_template(template, **kwargs)
    first = CloudConstraints()
    try:
        result = check_template(template, checker=first, **kwargs)
    except TemplateValidationFailed:
        if not first.asked:
            raise
    else:
        if not first.asked:
            return result
    answered = await first.look_up(cloud)
    # Every problem at once: the template's own and the cloud's.
    return check_template(template, checker=answered, **kwargs)
