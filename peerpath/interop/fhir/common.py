"""Small builders shared by the mappers: references, meta, identifiers, instants."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from peerpath.interop.fhir import codes


def ref(resource_type: str, pk: Any, display: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {"reference": f"{resource_type}/{pk}"}
    if display:
        out["display"] = display
    return out


def instant(value: dt.datetime | None) -> str | None:
    if value is None:
        return None
    if timezone.is_naive(value):
        value = timezone.make_aware(value, dt.UTC)
    return value.astimezone(dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def date(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def meta(resource_type: str, updated_at: dt.datetime | None, *, security: list[dict[str, str]] | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {"lastUpdated": instant(updated_at or timezone.now())}
    profile = codes.PROFILE.get(resource_type)
    if profile:
        out["profile"] = [profile]
    if security:
        out["security"] = security
    return out


def peerpath_identifier(organisation_slug: str, kind: str, value: Any) -> dict[str, Any]:
    return {"use": "usual", "system": codes.identifier_system(organisation_slug, kind), "value": str(value)}


def coding(system: str, code: str, display: str = "") -> dict[str, str]:
    out = {"system": system, "code": code}
    if display:
        out["display"] = display
    return out


def concept(system: str, code: str, display: str = "", text: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {"coding": [coding(system, code, display)]}
    if text or display:
        out["text"] = text or display
    return out


def narrative(text: str) -> dict[str, str]:
    from django.utils.html import escape

    return {"status": "generated", "div": f'<div xmlns="http://www.w3.org/1999/xhtml">{escape(text)}</div>'}


def drop_empty(resource: dict[str, Any]) -> dict[str, Any]:
    """FHIR forbids empty values ("" , [] or {}); mappers build freely and call this last."""

    def empty(value: Any) -> bool:
        return value is None or (not value and isinstance(value, (str, list, dict)))

    def clean(value: Any) -> Any:  # one pass; the export maps every row through it, so no second walk
        if isinstance(value, dict):
            out = {}
            for key, item in value.items():
                if isinstance(item, (dict, list)):
                    item = clean(item)
                if not empty(item):
                    out[key] = item
            return out
        if isinstance(value, list):
            items = [clean(v) if isinstance(v, (dict, list)) else v for v in value]
            return [v for v in items if not empty(v)]
        return value

    return clean(resource)
