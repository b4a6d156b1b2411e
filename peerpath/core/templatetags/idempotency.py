"""``{% load idempotency %}{% idempotency_field %}`` inside a form: a new key per render, so a double
submit (or the offline queue resending) of that form is carried out once (see peerpath.core.idempotency)."""

from __future__ import annotations

import uuid

from django import template
from django.utils.html import format_html

from peerpath.core.idempotency import FIELD

register = template.Library()


@register.simple_tag
def idempotency_field() -> str:
    return format_html('<input type="hidden" name="{}" value="{}">', FIELD, uuid.uuid4().hex)
