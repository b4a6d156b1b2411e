"""FHIR search over a scoped queryset: ``_id``, ``identifier``, ``patient``/``subject``, ``date`` (or the
type's own date parameter), ``_lastUpdated``, ``_count`` with ``_offset`` paging links."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any
from urllib.parse import urlencode

from django.db.models import QuerySet
from django.utils import timezone

from peerpath.interop.fhir import codes
from peerpath.interop.fhir.errors import FhirError
from peerpath.interop.fhir.resources import ResourceSpec

DEFAULT_COUNT = 20
MAX_COUNT = 100
CONTROL_PARAMS = {"_count", "_offset", "_format"}
PREFIXES = ("eq", "ne", "gt", "lt", "ge", "le", "sa", "eb", "ap")
DATE_RE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2})(T[0-9:.]+(?:Z|[+-]\d{2}:\d{2})?)?)?)?$")
ID_RE = re.compile(r"^[A-Za-z0-9\-.]{1,64}$")


def _bad(param: str, message: str) -> FhirError:
    return FhirError(400, "invalid", f"Search parameter {param}: {message}", expression=[param])


def parse_date(param: str, raw: str) -> tuple[str, dt.datetime, dt.datetime]:
    """``(prefix, start, end)``: the value's whole precision as a half-open interval in UTC."""
    prefix = "eq"
    if raw[:2] in PREFIXES and not raw[:2].isdigit():
        prefix, raw = raw[:2], raw[2:]
    if prefix not in {"eq", "gt", "lt", "ge", "le"}:
        raise _bad(param, f"the prefix {prefix} is not supported")
    match = DATE_RE.match(raw)
    if not match:
        raise _bad(param, "expected a date such as 2026-03-01 or 2026-03-01T10:00:00Z")
    year, month, day, time_part = match.groups()
    try:
        if time_part:
            value = dt.datetime.fromisoformat(raw.replace("Z", "+00:00"))
            if timezone.is_naive(value):
                value = timezone.make_aware(value)
            return prefix, value, value + dt.timedelta(seconds=1)
        if day:
            start = dt.datetime(int(year), int(month), int(day), tzinfo=dt.UTC)
            return prefix, start, start + dt.timedelta(days=1)
        if month:
            start = dt.datetime(int(year), int(month), 1, tzinfo=dt.UTC)
            nxt = dt.datetime(int(year) + (int(month) == 12), int(month) % 12 + 1, 1, tzinfo=dt.UTC)
            return prefix, start, nxt
        start = dt.datetime(int(year), 1, 1, tzinfo=dt.UTC)
        return prefix, start, dt.datetime(int(year) + 1, 1, 1, tzinfo=dt.UTC)
    except ValueError as exc:
        raise _bad(param, "not a valid date") from exc


def _date_filter(rows: QuerySet[Any], path: str, param: str, raw: str, *, date_only: bool) -> QuerySet[Any]:
    prefix, start, end = parse_date(param, raw)
    lo: Any = start.date() if date_only else start
    hi: Any = end.date() if date_only else end
    if prefix == "eq":
        return rows.filter(**{f"{path}__gte": lo, f"{path}__lt": hi})
    if prefix == "ge":
        return rows.filter(**{f"{path}__gte": lo})
    if prefix == "gt":
        return rows.filter(**{f"{path}__gte": hi})
    if prefix == "le":
        return rows.filter(**{f"{path}__lt": hi})
    return rows.filter(**{f"{path}__lt": lo})


def _ids(param: str, raw: str) -> list[int]:
    values = [v.split("/")[-1] for v in raw.split(",") if v]
    if not all(v.isdigit() for v in values):
        return []
    return [int(v) for v in values]


def _identifier_filter(spec: ResourceSpec, rows: QuerySet[Any], raw: str, organisation_slug: str) -> QuerySet[Any]:
    system, _, value = raw.rpartition("|")
    own = codes.identifier_system(organisation_slug, spec.identifier_kind)
    if spec.type == "Patient" and system in ("", codes.identifier_system(organisation_slug, "record-number")):
        by_record = rows.filter(record_number=value)
        if system or by_record.exists():
            return by_record
    if system and system != own:
        from peerpath.interop.models import ExternalIdentifier

        target_ids = ExternalIdentifier.objects.filter(
            organisation__slug=organisation_slug, system=system, value=value, resource_type=spec.type,
        ).values_list("target_id", flat=True)
        return rows.filter(pk__in=list(target_ids))
    if spec.type == "Encounter":
        encounter_id, _, client_id = value.partition("-")
        if encounter_id.isdigit() and client_id.isdigit():
            return rows.filter(encounter_id=int(encounter_id), client_id=int(client_id))
        return rows.none()
    return rows.filter(pk=int(value)) if value.isdigit() else rows.none()


def apply(spec: ResourceSpec, rows: QuerySet[Any], params: dict[str, list[str]], organisation_slug: str) -> tuple[QuerySet[Any], dict[str, list[str]]]:
    """Filter ``rows``; returns them and the parameters that were applied (for the self link). Unknown
    parameters are ignored (FHIR's lenient default) and left out of the self link."""
    applied: dict[str, list[str]] = {}
    for name, values in params.items():
        for raw in values:
            if name == "_id":
                rows = rows.filter(pk__in=_ids(name, raw))
            elif name == "identifier":
                rows = _identifier_filter(spec, rows, raw, organisation_slug)
            elif name in ("patient", "subject") and spec.patient_path:
                rows = rows.filter(**{f"{spec.patient_path}__in": _ids(name, raw)})
            elif name == spec.date_param and spec.date_path:
                field = rows.model._meta.get_field(spec.date_path.split("__")[0])
                rows = _date_filter(rows, spec.date_path, name, raw, date_only=field.get_internal_type() == "DateField")
            elif name == "_lastUpdated":
                rows = _date_filter(rows, spec.updated_path, name, raw, date_only=False)
            else:
                continue
            applied.setdefault(name, []).append(raw)
    return rows, applied


def page_size(params: dict[str, list[str]]) -> tuple[int, int]:
    def number(name: str, default: int) -> int:
        raw = (params.get(name) or [str(default)])[-1]
        if not raw.isdigit():
            raise _bad(name, "expected a whole number")
        return int(raw)

    return min(number("_count", DEFAULT_COUNT), MAX_COUNT), number("_offset", 0)


def bundle(*, spec: ResourceSpec, base_url: str, resources: list[dict[str, Any]], total: int, count: int,
           offset: int, applied: dict[str, list[str]]) -> dict[str, Any]:
    def link(relation: str, at: int) -> dict[str, str]:
        query = [(k, v) for k, values in applied.items() for v in values] + [("_count", str(count)), ("_offset", str(at))]
        return {"relation": relation, "url": f"{base_url}/{spec.type}?{urlencode(query)}"}

    links = [link("self", offset), link("first", 0)]
    if count and offset + count < total:
        links.append(link("next", offset + count))
    if offset > 0:
        links.append(link("previous", max(offset - count, 0)))
    if total and count:
        links.append(link("last", ((total - 1) // count) * count if count else 0))
    return {
        "resourceType": "Bundle",
        "type": "searchset",
        "total": total,
        "link": links,
        "entry": [{"fullUrl": f"{base_url}/{spec.type}/{r['id']}", "resource": r, "search": {"mode": "match"}}
                  for r in resources],
    }
