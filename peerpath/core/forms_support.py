"""Turning service errors into form field errors, so a page shows the reason beside the field."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django import forms

from peerpath.core.exceptions import ServiceError

T = TypeVar("T")


def call_service(form: forms.Form, service: Callable[..., T], **kwargs: Any) -> T | None:
    try:
        return service(**kwargs)
    except ServiceError as exc:
        field = exc.field if exc.field in form.fields else None
        form.add_error(field, exc.reason)
        return None
