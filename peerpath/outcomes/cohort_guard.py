"""Cohorts that cannot be subtracted from one another.

Suppressing small cells inside one table is not enough: two cohorts whose filters differ a little (ages to 30
and to 31, index dates to 31 October and to 1 November, team A and all teams) may differ by one person, and
the difference of their figures is that person's outcome. Two rules stop this, for the page, the PDF, the API
and the downloads alike (they all go through ``evaluation_cohort``):

1. **Bands.** Range filters snap to whole bands: index dates to calendar months (from the first day of the
   "from" month to the last day of the "to" month), ages to five-year bands (from 30 means 30, to 31 means to
   34). Across the organisation, adjacent bands are merged until each holds 0 or at least the threshold people
   in each group, and bounds move outward to those merged bands. So a cohort can only grow or shrink by a
   whole band of enough people.
2. **Neighbours.** A filtered cohort is shown only when every cohort next to it differs from it by 0 or at
   least the threshold people *in each group*: for a range bound, the nearest band with anyone in it on each
   side of the bound (under the other filters); for a chosen team, program or language, every other team,
   program or language (under the other filters: "all teams" = the sum of the teams, so one small team could
   be worked out from all and the others); for an age filter, the people with no recorded date of birth (who
   drop out of any age filter). Any two shown cohorts that are nested therefore differ by 0 or at least the
   threshold people in each group.

Limits (``docs/outcomes.md``): cohorts that overlap without nesting are not compared pairwise (their
intersection is itself a cohort subject to these rules), and figures change as days pass (someone who reads
the page every day sees that a re-admission happened, not to whom).
"""

from __future__ import annotations

import calendar
from dataclasses import replace
from datetime import date
from typing import Any

import numpy as np
import pandas as pd
from django.utils.translation import gettext as _

from peerpath.clients.models import Client
from peerpath.core import disclosure
from peerpath.core.exceptions import ServiceError

AGE_BAND_YEARS = 5
Span = tuple[int, int]  # first and last raw band (month ordinal, or five-year age band) of a merged band


def banded(cohort: Any) -> Any:
    """The cohort with its range filters snapped to whole raw bands (months for index dates, five years for age)."""
    changes: dict[str, Any] = {}
    if cohort.start:
        changes["start"] = cohort.start.replace(day=1)
    if cohort.end:
        changes["end"] = cohort.end.replace(day=calendar.monthrange(cohort.end.year, cohort.end.month)[1])
    if cohort.age_min is not None:
        changes["age_min"] = cohort.age_min // AGE_BAND_YEARS * AGE_BAND_YEARS
    if cohort.age_max is not None:
        changes["age_max"] = cohort.age_max // AGE_BAND_YEARS * AGE_BAND_YEARS + AGE_BAND_YEARS - 1
    return replace(cohort, **changes)


def is_filtered(cohort: Any) -> bool:
    return bool(cohort.describe())


def _attributes(organisation_id: int) -> pd.DataFrame:
    rows = list(Client.objects.filter(organisation_id=organisation_id, is_active=True)
                .values_list("pk", "team_id", "team__team_type", "language"))
    frame = pd.DataFrame(rows, columns=["client_id", "team_id", "program", "language"])
    return frame.astype({"client_id": "int64"}).set_index("client_id")


def _month_of(day: date) -> int:
    return day.year * 12 + day.month - 1


def _month_day(ordinal: int, *, last: bool = False) -> date:
    year, month = ordinal // 12, ordinal % 12 + 1
    return date(year, month, calendar.monthrange(year, month)[1] if last else 1)


def _ok(counts: Any, threshold: int) -> bool:
    return not any(disclosure.is_small(int(n), threshold) for n in counts)


def merged_spans(raw: pd.Series, groups: pd.Series, threshold: int) -> list[Span]:
    """Adjacent raw bands merged, from the lowest, until each merged band holds 0 or at least ``threshold``
    people in each group (a small remainder joins the band before it). Computed over the whole organisation,
    so the grid does not move with the other filters."""
    present = raw.dropna().astype(int)
    if present.empty:
        return []
    table = pd.crosstab(present, groups[present.index])
    lo, hi = int(present.min()), int(present.max())
    spans: list[Span] = []
    first, counts = lo, np.zeros(table.shape[1], dtype=int)
    for band in range(lo, hi + 1):
        if band in table.index:
            counts = counts + table.loc[band].to_numpy()
        if counts.sum() and _ok(counts, threshold):  # empty bands join the next band with people in it
            spans.append((first, band))
            first, counts = band + 1, np.zeros(table.shape[1], dtype=int)
    if first <= hi:
        spans[-1:] = [(spans[-1][0] if spans else first, hi)]
    return spans


def _snap(value: int, spans: list[Span], *, upper: bool) -> int:
    for first, last in spans:
        if first <= value <= last:
            return last if upper else first
    return value


def _span_index(raw: pd.Series, spans: list[Span]) -> pd.Series:
    """Each row's merged band (its position in ``spans``); NaN outside the data."""
    if not spans:
        return pd.Series(np.nan, index=raw.index)
    starts = np.array([first for first, _last in spans])
    position = np.searchsorted(starts, raw.fillna(-1).to_numpy(), side="right") - 1
    return pd.Series(np.where(raw.notna() & (position >= 0), position, np.nan), index=raw.index)


def _small_in_a_group(part: pd.DataFrame, threshold: int) -> bool:
    return not _ok(part["group"].value_counts().to_numpy(), threshold)


def snapped(cohort: Any, members: pd.DataFrame, threshold: int) -> tuple[Any, list[Span], list[Span]]:
    """The cohort with its range bounds moved outward to the organisation's merged bands, and those bands."""
    cohort = banded(cohort)
    months = merged_spans(members["month"], members["group"], threshold)
    ages = merged_spans(members["age_band"], members["group"], threshold)
    changes: dict[str, Any] = {}
    if cohort.start:
        changes["start"] = _month_day(_snap(_month_of(cohort.start), months, upper=False))
    if cohort.end:
        changes["end"] = _month_day(_snap(_month_of(cohort.end), months, upper=True), last=True)
    if cohort.age_min is not None:
        changes["age_min"] = _snap(cohort.age_min // AGE_BAND_YEARS, ages, upper=False) * AGE_BAND_YEARS
    if cohort.age_max is not None:
        changes["age_max"] = min(_snap(cohort.age_max // AGE_BAND_YEARS, ages, upper=True) * AGE_BAND_YEARS
                                 + AGE_BAND_YEARS - 1, 124)
    return replace(cohort, **changes), months, ages


def _span_name(span: Span, kind: str) -> str:
    first, last = span
    if kind == "month":
        return " – ".join(dict.fromkeys(_month_day(m).strftime("%Y-%m") for m in (first, last)))
    return f"{first * AGE_BAND_YEARS}–{last * AGE_BAND_YEARS + AGE_BAND_YEARS - 1}"


def refusal(members: pd.DataFrame, cohort: Any, threshold: int, months: list[Span],
            ages: list[Span]) -> tuple[str, str] | None:
    """``(field, reason)`` when a neighbour of the (snapped) cohort differs from it by 1 to threshold − 1 people
    in a group, else None. ``members`` is the unfiltered cohort (every client with a group and index date)
    with ``month``, ``age_band``, ``team_id``, ``program`` and ``language`` columns."""
    month_span, age_span = _span_index(members["month"], months), _span_index(members["age_band"], ages)
    masks: dict[str, pd.Series] = {}
    if cohort.team_id:
        masks["team_id"] = members["team_id"] == cohort.team_id
    if cohort.program:
        masks["program"] = members["program"] == cohort.program
    if cohort.language:
        masks["language"] = members["language"] == cohort.language
    if cohort.start:
        masks["start"] = members["month"] >= _month_of(cohort.start)
    if cohort.end:
        masks["end"] = members["month"] <= _month_of(cohort.end)
    if cohort.age_min is not None:
        masks["age_min"] = members["age_band"] >= cohort.age_min // AGE_BAND_YEARS
    if cohort.age_max is not None:
        masks["age_max"] = members["age_band"] <= cohort.age_max // AGE_BAND_YEARS

    def others(*left_out: str) -> pd.DataFrame:
        keep = pd.Series(True, index=members.index)
        for name, mask in masks.items():
            if name not in left_out:
                keep &= mask
        return members[keep]

    for field in ("team_id", "program", "language"):
        if field in masks:
            part = others(field)
            levels = part[field].astype(object).where(part[field].notna(), "—")
            for _level, rows in part.groupby(levels):
                if _small_in_a_group(rows, threshold):
                    what = {"team_id": _("team"), "program": _("program"), "language": _("preferred language")}[field]
                    return field, _(
                        "Another %(what)s has fewer than %(n)s people in a group with these filters, so one %(what)s's "
                        "figures could be worked out from the others'. Show all, or widen the other filters."
                    ) % {"what": what, "n": threshold}
    ranges = {"start": (month_span, months, "lower"), "end": (month_span, months, "upper"),
              "age_min": (age_span, ages, "lower"), "age_max": (age_span, ages, "upper")}
    for field, (values, spans, side) in ranges.items():
        if field not in masks:
            continue
        part = others(field)
        value = values[part.index]
        inside = value[masks[field][part.index] & value.notna()]
        outside = value[~masks[field][part.index] & value.notna()]
        nearest = []
        if len(inside):
            nearest.append(inside.min() if side == "lower" else inside.max())
        if len(outside):
            nearest.append(outside.max() if side == "lower" else outside.min())
        for band in nearest:
            if _small_in_a_group(part[value == band], threshold):
                if field in ("start", "end"):
                    return field, _(
                        "The month %(band)s, next to this date, has fewer than %(n)s people in a group with these "
                        "filters, so this cohort and the one next to it would differ by fewer than %(n)s people. "
                        "Choose another month.") % {"band": _span_name(spans[int(band)], "month"), "n": threshold}
                return field, _(
                    "The ages %(band)s, next to this age, have fewer than %(n)s people in a group with these filters, "
                    "so this cohort and the one next to it would differ by fewer than %(n)s people. Ages are grouped "
                    "in bands of five years; choose another band.") % {"band": _span_name(spans[int(band)], "age"),
                                                                       "n": threshold}
    if "age_min" in masks or "age_max" in masks:
        undated = others("age_min", "age_max")
        if _small_in_a_group(undated[undated["dob"].isna()], threshold):
            field = "age_min" if "age_min" in masks else "age_max"
            return field, _("Fewer than %(n)s people in a group have no recorded date of birth, and an age filter "
                            "leaves them out, so it could single them out. Leave the ages empty.") % {"n": threshold}
    return None


def evaluation_cohort(*, organisation_id: int, cohort: Any, members: pd.DataFrame, threshold: int) -> Any:
    """The snapped cohort, or a ServiceError naming the filter whose neighbour is too close (code
    ``cohort_too_close``). ``members`` is the unfiltered cohort (``cohort_members`` with no filters)."""
    if not is_filtered(cohort) or members.empty:
        return banded(cohort)
    frame = members.set_index("client_id").join(_attributes(organisation_id), how="left")
    index_date = pd.to_datetime(frame["index_date"])
    frame["month"] = (index_date.dt.year * 12 + index_date.dt.month - 1).astype(float)
    frame["age_band"] = np.floor((index_date - pd.to_datetime(frame["dob"])).dt.days / 365.25 / AGE_BAND_YEARS)
    cohort, months, ages = snapped(cohort, frame, threshold)
    found = refusal(frame, cohort, threshold, months, ages)
    if found is not None:
        field, reason = found
        nearest = _nearest_shown(frame, cohort, field, threshold, months, ages)
        if nearest is not None:
            reason = f"{reason} " + _("The nearest that can be shown: %(value)s.") % {"value": nearest}
        elif field in ("start", "end", "age_min", "age_max"):
            reason = f"{reason} " + _("No value of it can be shown with the other filters: leave it empty, or "
                                      "remove the team, program or language.")
        raise ServiceError(reason, field=field, code="cohort_too_close")
    return cohort


def _nearest_shown(frame: pd.DataFrame, cohort: Any, field: str, threshold: int, months: list[Span],
                   ages: list[Span]) -> str | None:
    """For a refused range bound, the nearest bound on the organisation's bands that would be shown (a hint,
    checked by the same rule; a refused value says nothing the refusal did not)."""
    if field in ("start", "end"):
        current = _month_of(getattr(cohort, field))
        values = [_month_day(last if field == "end" else first, last=field == "end") for first, last in months]
        distance = [abs(_month_of(v) - current) for v in values]
    elif field in ("age_min", "age_max"):
        current = getattr(cohort, field) // AGE_BAND_YEARS
        ends = [(last if field == "age_max" else first) for first, last in ages]
        values = [e * AGE_BAND_YEARS + (AGE_BAND_YEARS - 1 if field == "age_max" else 0) for e in ends]
        distance = [abs(e - current) for e in ends]
    else:
        return None
    for _distance, value in sorted(zip(distance, values, strict=True), key=lambda pair: pair[0])[:40]:
        if refusal(frame, replace(cohort, **{field: value}), threshold, months, ages) is None:
            return value.isoformat() if isinstance(value, date) else str(value)
    return None
