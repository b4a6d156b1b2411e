"""Turning an id from a URL or a payload into a scoped record.

``resolve(queryset, pk, field=...)`` is used by every page and API function: the queryset is
already scoped to what the reader may see (a selector), so a missing and a forbidden record look
the same. Path ids give 404; payload ids give a ``ServiceError`` on that field.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from peerpath.core.exceptions import ServiceError

#: The largest id both databases store (PostgreSQL bigint; SQLite integer).
MAX_ID = 2**63 - 1


def parse_id(value: Any) -> int | None:
    """An id as an int, or None when it is not a positive whole number in range."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    elif isinstance(value, str) and value.strip().isdigit():
        number = int(value.strip())
    else:
        return None
    return number if 0 < number <= MAX_ID else None


def resolve(queryset: QuerySet[Any], pk: Any, *, field: str, path: bool = False) -> Any:
    number = parse_id(pk)
    record = queryset.filter(pk=number).first() if number is not None else None
    if record is None:
        if path:
            raise Http404
        raise ServiceError(_("No such record, or not one you may use."), field=field, code="not_found")
    return record
