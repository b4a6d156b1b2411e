"""Pieces shared by the planning pages: links to the other areas, progress figures, form errors."""

from __future__ import annotations

from datetime import date
from typing import Any

from peerpath.core.choices import Role
from peerpath.core.exceptions import ServiceError
from peerpath.implementation.planning.rules import (
    EVERYONE,
)

ITEM_OWNERS = EVERYONE - {Role.EVALUATOR}


def _form_error(form: Any, exc: ServiceError) -> None:
    form.add_error(exc.field if exc.field in form.fields else None, exc.reason)


def progress(total: int, done: int, dropped: int) -> dict[str, int]:
    """Done out of the items still meant to happen (dropped items do not count)."""
    planned = max(total - dropped, 0)
    return {"done": done, "planned": planned, "dropped": dropped,
            "percent": round(100 * done / planned) if planned else 0}


def _with_days_overdue(items: list[Any], today: date) -> list[Any]:
    for item in items:
        item.days_overdue = (today - item.due_on).days if item.due_on else 0
        item.days_left = (item.due_on - today).days if item.due_on else None
    return items


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
