"""Template helpers for the integration pages: one way to print a rate, a count and a change."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def measure(value: Any, percent: bool = False) -> str:
    """0.456 → "46%" for a rate; 3.25 → "3.3" for a count per month; None → "–" (nothing to divide by)."""
    if value is None:
        return "–"
    if percent:
        return f"{value * 100:.0f}%"
    return f"{value:.1f}" if isinstance(value, float) else str(value)


@register.filter
def change(value: Any, percent: bool = False) -> str:
    """The change from the first to the latest quarter: percentage points for a rate."""
    if value is None:
        return "–"
    if percent:
        points = round(value * 100)
        return _("%(sign)s%(n)s points") % {"sign": "+" if points > 0 else "", "n": points}
    return f"{value:+.1f}"


@register.filter
def minus(last: Any, first: Any) -> Any:
    return None if last is None or first is None else last - first
