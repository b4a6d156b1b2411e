"""Template helpers for the planning pages."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django import template

register = template.Library()


@register.filter
def localized(obj: Any, field: str) -> str:
    """``{{ strategy|localized:"name" }}``: the Spanish text when the page is in Spanish and it exists."""
    if obj is None:
        return ""
    return str(obj.localized(field)) if hasattr(obj, "localized") else str(getattr(obj, field, ""))


@register.filter
def num(value: Any, places: int = 3) -> str:
    """A decimal shown with a fixed number of places (half up), as in the score formula."""
    if value is None or value == "":
        return "–"
    return str(Decimal(value).quantize(Decimal(1).scaleb(-int(places)), rounding=ROUND_HALF_UP))


@register.filter
def percent(value: Any) -> str:
    if value is None or value == "":
        return "–"
    return str((Decimal(value) * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))
