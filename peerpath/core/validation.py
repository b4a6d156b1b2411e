"""Checks that services share, raising ``ServiceError`` with the field, so the page and the API say the same."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from peerpath.core.exceptions import ServiceError


def clean_text(value: Any, field: str, *, required: bool = True, max_length: int | None = None) -> str:
    """Stripped text; refuses a non-text value, an empty required value and text over ``max_length``."""
    if value is not None and not isinstance(value, str):
        raise ServiceError(_("Enter text."), field=field)
    text = (value or "").strip()
    if required and not text:
        raise ServiceError(_("This field is required."), field=field)
    if max_length and len(text) > max_length:
        raise ServiceError(_("Use at most %(n)d characters.") % {"n": max_length}, field=field)
    return text
