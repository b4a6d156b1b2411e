"""Reads for service use and the evaluation. Service events are read through the client access rules;
evaluations read the whole organisation but only leave this module as de-identified datasets and
aggregates (with small cells suppressed)."""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from typing import Any

import numpy as np
import pandas as pd
from django.conf import settings
from django.db import connection
from django.db.models import Count, Min, QuerySet, Sum
from django.http import Http404
from django.utils import timezone

from peerpath.care.models import EncounterAttendance
from peerpath.clients.models import Client, Match, Referral
from peerpath.clients.permissions import visible_clients
from peerpath.core.audit import audit_record
from peerpath.core.choices import AuditAction
from peerpath.outcomes import analysis
from peerpath.outcomes.choices import EventKind
from peerpath.outcomes.models import ComparisonEnrolment, ImportRun, ServiceEvent

# A client whose peer support ended within this many days of starting counts as not engaged
# ("closed early") and joins the comparison group (from their referral date).
MIN_ENGAGED_DAYS = 30
WINDOW_DAYS = 365
DAYS_PER_MONTH = 365.25 / 12


def min_cell() -> int:
    return int(getattr(settings, "PEERPATH_MIN_CELL_SIZE", 11))


# ---------------------------------------------------------------- service events

def service_events_for(user: Any, client: Client) -> QuerySet[ServiceEvent]:
    """A client's service use; the caller has resolved ``client`` through ``client_for``."""
    return ServiceEvent.objects.filter(organisation_id=user.organisation_id, client=client, is_active=True).select_related("recorded_by")


def client_for(user: Any, client_id: int, *, audit: bool = True) -> Client:
    client = visible_clients(user).select_related("team").filter(pk=client_id).first()
    if client is None:
        raise Http404("No such client.")
    if audit:
        audit_record(actor=user, action=AuditAction.VIEW, target=client, client=client, detail={"page": "service use"})
    return client


def event_for(user: Any, event_id: int) -> ServiceEvent:
    event = (
        ServiceEvent.objects.filter(pk=event_id, organisation_id=user.organisation_id, is_active=True,
                                    client__in=visible_clients(user)).select_related("client").first()
    )
    if event is None:
        raise Http404("No such event.")
    return event


def recent_imports(user: Any) -> QuerySet[ImportRun]:
    return ImportRun.objects.filter(organisation_id=user.organisation_id, uploaded_by=user).order_by("-created_at")[:5]


# ---------------------------------------------------------------- cohorts

@dataclass(frozen=True)
class Cohort:
    """Which clients an evaluation covers. ``program`` is a team type (ACT, inpatient, ...)."""

    program: str = ""
    team_id: int | None = None
    start: date | None = None  # index date (start of peer support / comparison follow-up) from ...
    end: date | None = None  # ... to
    age_min: int | None = None
    age_max: int | None = None
    language: str = ""

    def describe(self) -> dict[str, Any]:
        return {k: (v.isoformat() if isinstance(v, date) else v) for k, v in asdict(self).items() if v not in (None, "")}


def pseudonym(organisation_id: int, client_id: int) -> str:
    """A stable de-identified id: the same client gets the same code in every file of an export."""
    digest = hashlib.sha256(f"{settings.SECRET_KEY}:outcomes:{organisation_id}:{client_id}".encode()).hexdigest()
    return "C" + digest[:12]


def _frame(rows: list[tuple], columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame.from_records(rows, columns=columns) if rows else pd.DataFrame(columns=columns)


def cohort_members(*, organisation_id: int, cohort: Cohort, today: date) -> pd.DataFrame:
    """One row per client in the cohort: ``client_id, group, index_date``.

    * peer: clients whose peer support (a match) is ongoing or lasted at least 30 days; index date =
      the first match's start.
    * comparison (usual care): clients registered in the comparison group, and referred clients who
      were never matched or whose peer support ended within 30 days; index date = registration date
      or the first referral's date.
    """
    clients = Client.objects.filter(organisation_id=organisation_id, is_active=True)
    if cohort.team_id:
        clients = clients.filter(team_id=cohort.team_id)
    if cohort.program:
        clients = clients.filter(team__team_type=cohort.program)
    if cohort.language:
        clients = clients.filter(language=cohort.language)
    base = _frame(list(clients.values_list("pk", "date_of_birth")), ["client_id", "dob"])
    if base.empty:
        return pd.DataFrame(columns=["client_id", "group", "index_date"])
    matches = _frame(
        list(Match.objects.filter(organisation_id=organisation_id).values_list("client_id", "started_on", "ended_on")),
        ["client_id", "started_on", "ended_on"],
    )
    if not matches.empty:
        ended = pd.to_datetime(matches["ended_on"])
        started = pd.to_datetime(matches["started_on"])
        matches["engaged"] = ended.isna() | ((ended - started).dt.days >= MIN_ENGAGED_DAYS)
        peer = matches[matches["engaged"]].groupby("client_id")["started_on"].min().rename("peer_index")
        ever_matched = set(matches["client_id"])
    else:
        peer, ever_matched = pd.Series(dtype=object, name="peer_index"), set()
    referred = _frame(
        list(Referral.objects.filter(organisation_id=organisation_id, is_active=True)
             .values("client_id").annotate(first=Min("created_at")).values_list("client_id", "first")),
        ["client_id", "first"],
    )
    referred_index = (
        pd.Series([timezone.localdate(v) if hasattr(v, "tzinfo") and v.tzinfo else (v.date() if hasattr(v, "date") else v)
                   for v in referred["first"]], index=referred["client_id"], name="referral_index", dtype=object)
        if not referred.empty else pd.Series(dtype=object, name="referral_index")
    )
    enrolled = _frame(
        list(ComparisonEnrolment.objects.filter(organisation_id=organisation_id, is_active=True)
             .values_list("client_id", "index_date")),
        ["client_id", "enrol_index"],
    ).set_index("client_id")["enrol_index"]
    frame = base.set_index("client_id")
    frame = frame.join(peer).join(referred_index).join(enrolled)
    frame["group"] = None
    frame["index_date"] = None
    is_peer = frame["peer_index"].notna()
    frame.loc[is_peer, "group"] = "peer"
    frame.loc[is_peer, "index_date"] = frame.loc[is_peer, "peer_index"]
    is_enrolled = ~is_peer & frame["enrol_index"].notna()
    frame.loc[is_enrolled, "group"] = "comparison"
    frame.loc[is_enrolled, "index_date"] = frame.loc[is_enrolled, "enrol_index"]
    never_engaged = ~is_peer & ~is_enrolled & frame["referral_index"].notna()
    frame.loc[never_engaged, "group"] = "comparison"
    frame.loc[never_engaged, "index_date"] = frame.loc[never_engaged, "referral_index"]
    frame = frame[frame["group"].notna()].copy()
    frame["index_date"] = pd.to_datetime(frame["index_date"])
    frame = frame[frame["index_date"] <= pd.Timestamp(today)]
    if cohort.start:
        frame = frame[frame["index_date"] >= pd.Timestamp(cohort.start)]
    if cohort.end:
        frame = frame[frame["index_date"] <= pd.Timestamp(cohort.end)]
    if cohort.age_min is not None or cohort.age_max is not None:
        dob = pd.to_datetime(frame["dob"])
        age = (frame["index_date"] - dob).dt.days / 365.25
        keep = dob.notna()
        if cohort.age_min is not None:
            keep &= age >= cohort.age_min
        if cohort.age_max is not None:
            keep &= age < cohort.age_max + 1
        frame = frame[keep]
    frame = frame.reset_index()[["client_id", "group", "index_date"]]
    _ = ever_matched
    return frame


def _events(organisation_id: int, kinds: list[str]) -> pd.DataFrame:
    """Admissions and emergency visits of the organisation, straight from SQL (this is the large table)."""
    table = ServiceEvent._meta.db_table
    placeholders = ", ".join(["%s"] * len(kinds))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT client_id, kind, occurred_on, ended_on FROM {table} "  # noqa: S608 - table name from the model
            f"WHERE organisation_id = %s AND is_active AND kind IN ({placeholders})",
            [organisation_id, *kinds],
        )
        rows = cursor.fetchall()
    frame = _frame(rows, ["client_id", "kind", "occurred_on", "ended_on"])
    frame["occurred_on"] = pd.to_datetime(frame["occurred_on"])
    frame["ended_on"] = pd.to_datetime(frame["ended_on"])
    return frame


def _peer_minutes(organisation_id: int) -> pd.Series:
    rows = (
        EncounterAttendance.objects.filter(encounter__organisation_id=organisation_id, encounter__is_active=True)
        .values("client_id").annotate(minutes=Sum("encounter__duration_minutes")).values_list("client_id", "minutes")
    )
    frame = _frame(list(rows), ["client_id", "minutes"])
    return frame.set_index("client_id")["minutes"].astype(float) if not frame.empty else pd.Series(dtype=float)


def _overlap_days(start: pd.Series, end: pd.Series, window_start: pd.Series, window_end: pd.Series) -> pd.Series:
    lo = np.maximum(start.to_numpy("datetime64[ns]"), window_start.to_numpy("datetime64[ns]"))
    hi = np.minimum(end.to_numpy("datetime64[ns]"), window_end.to_numpy("datetime64[ns]"))
    days = (hi - lo).astype("timedelta64[D]").astype(float)
    return pd.Series(np.clip(days, 0, None), index=start.index)


def build_datasets(*, organisation_id: int, cohort: Cohort, today: date | None = None) -> dict[str, pd.DataFrame]:
    """The four de-identified analysis datasets (see ``analysis``) for a cohort."""
    today = today or timezone.localdate()
    members = cohort_members(organisation_id=organisation_id, cohort=cohort, today=today)
    members["client_code"] = [pseudonym(organisation_id, int(c)) for c in members["client_id"]]
    today_ts = pd.Timestamp(today)
    members["followed_days"] = (today_ts - members["index_date"]).dt.days.astype(float)

    events = _events(organisation_id, [EventKind.ADMISSION, EventKind.EMERGENCY])
    events = events.merge(members[["client_id", "index_date"]], on="client_id", how="inner")

    # Time to first re-admission after the index date (censored today).
    admissions = events[events["kind"] == EventKind.ADMISSION]
    after = admissions[admissions["occurred_on"] > admissions["index_date"]]
    first = after.groupby("client_id")["occurred_on"].min()
    km = members.set_index("client_id")[["client_code", "group", "index_date", "followed_days"]].join(first.rename("first_admission"))
    km["event"] = km["first_admission"].notna().astype(int)
    km["time_days"] = np.where(km["event"] == 1, (km["first_admission"] - km["index_date"]).dt.days, km["followed_days"])
    km_frame = km.reset_index()[["client_code", "group", "time_days", "event"]].rename(columns={"client_code": "client_id"})
    km_frame["time_days"] = km_frame["time_days"].astype(float)

    # Inpatient days and emergency visits in the year before and (up to) the year after the index date.
    window = members.set_index("client_id")[["client_code", "group", "index_date", "followed_days"]].copy()
    window["post_days"] = window["followed_days"].clip(upper=WINDOW_DAYS)
    adm = admissions.copy()
    adm["end"] = adm["ended_on"].fillna(today_ts)
    idx = adm["index_date"]
    adm["days_pre"] = _overlap_days(adm["occurred_on"], adm["end"], idx - pd.Timedelta(days=WINDOW_DAYS), idx)
    post_end = np.minimum((idx + pd.Timedelta(days=WINDOW_DAYS)).to_numpy("datetime64[ns]"), np.datetime64(today_ts, "ns"))
    adm["days_post"] = _overlap_days(adm["occurred_on"], adm["end"], idx, pd.Series(post_end, index=adm.index))
    inpatient = adm.groupby("client_id")[["days_pre", "days_post"]].sum()
    ed = events[events["kind"] == EventKind.EMERGENCY]
    offset = (ed["occurred_on"] - ed["index_date"]).dt.days
    ed = ed.assign(pre=((offset < 0) & (offset >= -WINDOW_DAYS)).astype(int),
                   post=((offset >= 0) & (offset < WINDOW_DAYS)).astype(int))
    ed_counts = ed.groupby("client_id")[["pre", "post"]].sum()
    window = window.join(inpatient).join(ed_counts).join(_peer_minutes(organisation_id).rename("minutes"))
    window = window.fillna({"days_pre": 0.0, "days_post": 0.0, "pre": 0, "post": 0, "minutes": 0.0})
    window.loc[window["group"] != "peer", "minutes"] = 0.0
    followed = window[window["post_days"] >= MIN_ENGAGED_DAYS]

    did_rows = pd.concat([
        pd.DataFrame({"client_id": followed["client_code"], "group": followed["group"], "period": "pre",
                      "outcome": (followed["days_pre"] / (WINDOW_DAYS / DAYS_PER_MONTH)).round(4)}),
        pd.DataFrame({"client_id": followed["client_code"], "group": followed["group"], "period": "post",
                      "outcome": (followed["days_post"] / (followed["post_days"] / DAYS_PER_MONTH)).round(4)}),
    ], ignore_index=True)
    years_since = (followed["followed_days"] / 365.25)
    cost_frame = pd.DataFrame({
        "client_id": followed["client_code"], "group": followed["group"],
        "years_pre": round(WINDOW_DAYS / 365.25, 4), "years_post": (followed["post_days"] / 365.25).round(4),
        "inpatient_days_pre": followed["days_pre"], "inpatient_days_post": followed["days_post"],
        "ed_visits_pre": followed["pre"].astype(float), "ed_visits_post": followed["post"].astype(float),
        # Peer hours since the index date, scaled to the post window.
        "peer_hours": (followed["minutes"] / 60 * (followed["post_days"] / 365.25) / years_since.clip(lower=1 / 365.25)).round(3),
    }).reset_index(drop=True)

    datasets = {"km": km_frame, "prepost": _prepost(organisation_id, members), "did": did_rows, "cost": cost_frame}
    # Rows in pseudonym order, so the file order does not follow record creation.
    return {k: f.sort_values([c for c in ("client_id", "measure", "period") if c in f.columns]).reset_index(drop=True)
            for k, f in datasets.items()}


def _prepost(organisation_id: int, members: pd.DataFrame) -> pd.DataFrame:
    """First intake score and the last later follow-up/discharge score, per client and instrument."""
    columns = list(analysis.COLUMNS["prepost"])
    try:
        from peerpath.measures.selectors import scored_administrations
    except ImportError:
        return pd.DataFrame(columns=columns)
    rows = list(scored_administrations(organisation_id=organisation_id, client_ids=list(members["client_id"])))
    if not rows:
        return pd.DataFrame(columns=columns)
    scores = pd.DataFrame(rows)
    scores = scores[scores["total_score"].notna()]
    scores = scores.rename(columns={"instrument__code": "measure"})
    scores["completed_at"] = pd.to_datetime(scores["completed_at"], utc=True)
    intake = scores[scores["timepoint"] == "intake"].sort_values("completed_at").groupby(["client_id", "measure"]).first()
    later = scores[scores["timepoint"] != "intake"].sort_values("completed_at").groupby(["client_id", "measure"]).last()
    pairs = intake[["completed_at", "total_score"]].join(later[["completed_at", "total_score"]], rsuffix="_post", how="inner")
    pairs = pairs[pairs["completed_at_post"] > pairs["completed_at"]].reset_index()
    pairs = pairs.merge(members[["client_id", "client_code", "group"]], on="client_id")
    out = pd.DataFrame({"client_id": pairs["client_code"], "group": pairs["group"], "measure": pairs["measure"],
                        "pre": pairs["total_score"].astype(float), "post": pairs["total_score_post"].astype(float)})
    return out.sort_values(["measure", "group", "client_id"]).reset_index(drop=True)


def evaluation_for(
    user: Any, *, cohort: Cohort, cost_parameters: dict[str, float] | None = None, audit_action: str = AuditAction.VIEW,
    today: date | None = None,
) -> tuple[dict[str, Any], dict[str, pd.DataFrame]]:
    """The whole evaluation for a cohort (aggregates only) and its de-identified datasets.

    Organisation-wide by design: leaders and evaluators see aggregates of the whole organisation,
    never a client's record. The read is audited with the cohort definition and its size."""
    datasets = build_datasets(organisation_id=user.organisation_id, cohort=cohort, today=today)
    cost_parameters = cost_parameters or dict(analysis.COST_DEFAULTS)
    results = analysis.run_all(datasets, min_cell=min_cell(), cost_parameters=cost_parameters)
    groups = datasets["km"]["group"].value_counts()
    results["cohort"] = {
        "filters": cohort.describe(),
        "n": {g: analysis._count(int(groups.get(g, 0)), min_cell()) for g in analysis.GROUPS},
        "min_cell": min_cell(),
        "today": (today or timezone.localdate()).isoformat(),
    }
    audit_record(actor=user, action=audit_action, target_type="outcomes.evaluation",
                 detail={"cohort": cohort.describe(), "clients": int(len(datasets["km"]))})
    return results, datasets


def import_counts(organisation_id: int) -> dict[str, int]:
    rows = ServiceEvent.objects.filter(organisation_id=organisation_id, is_active=True).values("kind").annotate(n=Count("pk"))
    return {row["kind"]: row["n"] for row in rows}


def dataset_allowed(datasets: dict[str, pd.DataFrame]) -> bool:
    """Row-level (de-identified) data leaves only when each group has at least ``min_cell`` people."""
    counts = datasets["km"]["group"].value_counts()
    return all(int(counts.get(g, 0)) >= min_cell() for g in analysis.GROUPS)


def default_start(today: date) -> date:
    return today - timedelta(days=3 * 365)
