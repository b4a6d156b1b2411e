"""Cohorts that cannot be subtracted from one another.

Suppressing small cells inside one table is not enough: two cohorts whose filters differ a little (ages to 30
and to 31, index dates to 31 October and to 1 November, team A and all teams) may differ by one person, and
the difference of their figures is that person's outcome. Two rules stop this, for the page, the PDF, the API
and the downloads alike (they all go through ``evaluation_cohort``):

1. **Bands.** Range filters snap to whole bands: index dates to calendar months (from the first day of the
   "from" month to the last day of the "to" month), ages to five-year bands (from 30 means 30, to 31 means to
   34). So a cohort can only grow or shrink by a whole band.
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


def banded(cohort: Any) -> Any:
    """The cohort with its range filters snapped to whole bands (months for index dates, five years for age)."""
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


def _month(values: pd.Series) -> pd.Series:
    return values.dt.year * 12 + values.dt.month - 1


def _month_name(ordinal: int) -> str:
    return date(ordinal // 12, ordinal % 12 + 1, 1).strftime("%Y-%m")


def _band_name(band: int) -> str:
    return f"{band * AGE_BAND_YEARS}–{band * AGE_BAND_YEARS + AGE_BAND_YEARS - 1}"


def _small_in_a_group(part: pd.DataFrame, threshold: int) -> bool:
    return any(disclosure.is_small(int(n), threshold) for n in part["group"].value_counts().to_numpy())


def refusal(members: pd.DataFrame, cohort: Any, threshold: int) -> tuple[str, str] | None:
    """``(field, reason)`` when a neighbour of the (banded) cohort differs from it by 1 to threshold − 1 people
    in a group, else None. ``members`` is the unfiltered cohort (every client with a group and index date)
    with ``team_id``, ``program`` and ``language`` columns."""
    index_month = _month(members["index_date"])
    age = (members["index_date"] - members["dob"]).dt.days / 365.25
    age_band = np.floor(age / AGE_BAND_YEARS)
    masks: dict[str, pd.Series] = {}
    if cohort.team_id:
        masks["team_id"] = members["team_id"] == cohort.team_id
    if cohort.program:
        masks["program"] = members["program"] == cohort.program
    if cohort.language:
        masks["language"] = members["language"] == cohort.language
    if cohort.start:
        masks["start"] = index_month >= _month(pd.Series(pd.to_datetime([cohort.start])))[0]
    if cohort.end:
        masks["end"] = index_month <= _month(pd.Series(pd.to_datetime([cohort.end])))[0]
    if cohort.age_min is not None:
        masks["age_min"] = age_band >= cohort.age_min // AGE_BAND_YEARS
    if cohort.age_max is not None:
        masks["age_max"] = age_band <= cohort.age_max // AGE_BAND_YEARS

    def others(field: str, *, also: tuple[str, ...] = ()) -> pd.DataFrame:
        keep = pd.Series(True, index=members.index)
        for name, mask in masks.items():
            if name != field and name not in also:
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
    ranges = {"start": (index_month, "lower"), "end": (index_month, "upper"),
              "age_min": (age_band, "lower"), "age_max": (age_band, "upper")}
    for field, (values, side) in ranges.items():
        if field not in masks:
            continue
        part = others(field)
        value = values[part.index]
        inside, outside = part[masks[field][part.index]], part[~masks[field][part.index] & value.notna()]
        nearest = []
        if len(inside):
            nearest.append(value[inside.index].min() if side == "lower" else value[inside.index].max())
        if len(outside):
            nearest.append(value[outside.index].max() if side == "lower" else value[outside.index].min())
        for band in nearest:
            if _small_in_a_group(part[value == band], threshold):
                if field in ("start", "end"):
                    return field, _(
                        "The month %(band)s, next to this date, has fewer than %(n)s people in a group with these "
                        "filters, so this cohort and the one next to it would differ by fewer than %(n)s people. "
                        "Choose another month.") % {"band": _month_name(int(band)), "n": threshold}
                return field, _(
                    "The ages %(band)s, next to this age, have fewer than %(n)s people in a group with these filters, "
                    "so this cohort and the one next to it would differ by fewer than %(n)s people. Ages are grouped "
                    "in bands of five years; choose another band.") % {"band": _band_name(int(band)), "n": threshold}
    if "age_min" in masks or "age_max" in masks:
        undated = others("", also=("age_min", "age_max"))
        if _small_in_a_group(undated[undated["dob"].isna()], threshold):
            field = "age_min" if "age_min" in masks else "age_max"
            return field, _("Fewer than %(n)s people in a group have no recorded date of birth, and an age filter "
                            "leaves them out, so it could single them out. Leave the ages empty.") % {"n": threshold}
    return None


def evaluation_cohort(*, organisation_id: int, cohort: Any, members: pd.DataFrame, threshold: int) -> Any:
    """The banded cohort, or a ServiceError naming the filter whose neighbour is too close (code
    ``cohort_too_close``). ``members`` is the unfiltered cohort (``cohort_members`` with no filters)."""
    cohort = banded(cohort)
    if not is_filtered(cohort) or members.empty:
        return cohort
    frame = members.set_index("client_id").join(_attributes(organisation_id), how="left")
    found = refusal(frame, cohort, threshold)
    if found is not None:
        field, reason = found
        raise ServiceError(reason, field=field, code="cohort_too_close")
    return cohort
