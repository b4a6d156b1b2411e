"""Calling a service from an entry point: the one ``call_service`` for pages and the API.

Services name the input a ``ServiceError`` is about by their own argument name (``peer``,
``clients``, ``held_at``). Pages show the reason beside the form field of that name; the API
answers with the payload field of that name, or — by one convention, not a hand-kept map — the
payload's id field for it (``peer`` → ``peer_id``, ``clients`` → ``client_ids``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django import forms

from peerpath.core.exceptions import ServiceError

T = TypeVar("T")


def field_candidates(field: str) -> list[str]:
    names = [field, f"{field}_id"]
    if field.endswith("s"):
        names.append(f"{field[:-1]}_ids")
    for suffix, replacement in (("_ids", "s"), ("_id", "")):
        if field.endswith(suffix):
            names.append(field[: -len(suffix)] + replacement)
    return names


def entry_field(field: str | None, names: Iterable[str]) -> str | None:
    """The entry point's own name for a service's field (None when it has none)."""
    if not field:
        return None
    known = set(names)
    return next((name for name in field_candidates(field) if name in known), None)


def form_error(form: forms.BaseForm, exc: ServiceError) -> None:
    """Show a service's refusal on the form, beside its field when the form has one."""
    # The service's code travels with the message: a page may react to one refusal (``form.has_error(field, code)``).
    form.add_error(entry_field(exc.field, form.fields), forms.ValidationError(exc.reason, code=exc.code))


def call_service(target: Any, service: Callable[..., T], **kwargs: Any) -> T | None:
    """Run ``service(**kwargs)``. With a form: a ``ServiceError`` becomes a form error and None is
    returned. With an API payload (a ninja ``Schema``) or None: the error is raised again, naming
    the payload's field, for the API's error handler."""
    try:
        return service(**kwargs)
    except ServiceError as exc:
        if isinstance(target, forms.BaseForm):
            form_error(target, exc)
            return None
        names = set(getattr(type(target), "model_fields", {}) or {})
        field = entry_field(exc.field, names) or exc.field
        if field != exc.field:
            raise ServiceError(exc.reason, field=field, code=exc.code) from exc
        raise
