"""Formatting of evaluation figures; a suppressed small cell (None) shows as "<11"."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.translation import gettext as _

from peerpath.core import disclosure

register = template.Library()


def _suppressed() -> str:
    n = disclosure.min_cell_clients()
    return format_html('<abbr title="{}">&lt;{}</abbr>', _("Fewer than %(n)s people: hidden to protect privacy") % {"n": n}, n)


@register.filter
def count(value: Any) -> str:
    return _suppressed() if value is None else number_format(value)


@register.filter
def num(value: Any, digits: int = 2) -> str:
    return "—" if value is None else number_format(round(float(value), int(digits)), int(digits))


@register.filter
def pct(value: Any, digits: int = 1) -> str:
    """A share 0–1 as a percentage."""
    return "—" if value is None else number_format(round(float(value) * 100, int(digits)), int(digits)) + "%"


@register.filter
def share(value: Any) -> str:
    """A share 0–1 as a whole percentage; a hidden share (None) shows as hidden."""
    return _("hidden") if value is None else number_format(round(float(value) * 100), 0) + "%"


@register.filter
def pvalue(value: Any) -> str:
    if value is None:
        return "—"
    return "< 0.001" if value < 0.001 else number_format(round(float(value), 3), 3)


@register.filter
def money(value: Any, currency: str = "") -> str:
    """An amount with the organisation's currency code when one is set (never an assumed symbol)."""
    if value is None:
        return "—"
    amount = number_format(round(float(value)), 0, force_grouping=True)
    return f"{amount} {currency}" if currency else amount


@register.filter
def get(mapping: Any, key: Any) -> Any:
    return mapping.get(key) if hasattr(mapping, "get") else None
