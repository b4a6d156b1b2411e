"""Reads for service use and the evaluation. Service events are read through the client access rules;
evaluations read the whole organisation but only leave this module as de-identified datasets and
aggregates (with small cells suppressed)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from typing import Any

import numpy as np
import pandas as pd
from django.conf import settings
from django.db import connection, transaction
from django.db.models import Case, Count, IntegerField, QuerySet, Sum, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from peerpath.care.models import Encounter, EncounterAttendance
from peerpath.clients.choices import ReferralStatus
from peerpath.clients.models import Client, Match, Referral
from peerpath.clients.permissions import visible_clients
from peerpath.core import disclosure
from peerpath.core.audit import audit_record
from peerpath.core.choices import AuditAction
from peerpath.core.exceptions import ServiceError
from peerpath.core.models import Team
from peerpath.outcomes import adjusted, analysis, cohort_guard
from peerpath.outcomes.choices import EventKind
from peerpath.outcomes.models import ComparisonEnrolment, ImportRun, ServiceEvent

# Clients followed for fewer days after the index date are left out of the before/after comparisons.
MIN_FOLLOWED_DAYS = 30
WINDOW_DAYS = 365
DAYS_PER_MONTH = 365.25 / 12


def min_cell() -> int:
    """The client-data threshold (one setting, read by ``peerpath.core.disclosure``)."""
    return disclosure.min_cell_clients()


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


def running_imports(user: Any) -> QuerySet[ImportRun]:
    """The reader's own imports still running (progress: ``rows_done``), newest first."""
    return ImportRun.objects.filter(organisation_id=user.organisation_id, uploaded_by=user,
                                    status="running").order_by("-created_at")[:3]


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


def team_name(organisation_id: int, team_id: int) -> str | None:
    """A team's name for a cohort description (the organisation's own teams only)."""
    return Team.objects.filter(organisation_id=organisation_id, pk=team_id).values_list("name", flat=True).first()


def _pseudonym_key(organisation_id: int) -> str:
    return hashlib.sha256(f"{settings.SECRET_KEY}:outcomes:{organisation_id}".encode()).hexdigest()[:16]


def pseudonyms(organisation_id: int, client_ids: Any) -> list[str]:
    """Stable de-identified ids: a keyed hash (SipHash, key derived from the site secret and the organisation),
    so the same client has the same code in every file but the code cannot be turned back into a record."""
    hashes = pd.util.hash_pandas_object(pd.Series(client_ids, dtype="int64"), index=False,
                                        hash_key=_pseudonym_key(organisation_id))
    return ["C" + format(int(h), "016x") for h in hashes.to_numpy()]


def pseudonym(organisation_id: int, client_id: int) -> str:
    return pseudonyms(organisation_id, [client_id])[0]


def _frame(rows: list[tuple], columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame.from_records(rows, columns=columns) if rows else pd.DataFrame(columns=columns)


def _rows(queryset: QuerySet) -> list[tuple]:
    """Rows of a ``values_list`` queryset straight from the database cursor (no per-row model conversion:
    this runs on 100,000s of rows). Dates may come back as ``date`` objects or ISO strings."""
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _day_sql(column: str) -> str:
    """SQL for a date column as whole days since 1970-01-01 (integers convert to numpy far faster than
    date objects: this runs on 100,000s of rows)."""
    if connection.vendor == "postgresql":
        return f"({column} - DATE '1970-01-01')"
    return f"CAST(julianday({column}) - 2440587.5 AS INTEGER)"


def _days(values: Any) -> np.ndarray:
    """Days since 1970-01-01 (None → NaT) as numpy dates. Dates outside 1900–2199 become NaT: they are refused
    on entry, and one stored earlier must not overflow pandas' nanosecond timestamps (OutOfBoundsDatetime)."""
    numbers = np.array(values, dtype="float64")
    out = np.full(numbers.shape, np.datetime64("NaT"), dtype="datetime64[D]")
    known = ~np.isnan(numbers) & (numbers >= -25567) & (numbers < 84006)
    out[known] = numbers[known].astype("int64").astype("datetime64[D]")
    return out


def _fetch(sql: str, params: list[Any]) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _local_days(rows: list[tuple]) -> tuple[tuple, np.ndarray]:
    """(client_id, timestamp) rows → (client ids, the timestamps' local dates as numpy days)."""
    if not rows:
        return (), np.array([], dtype="datetime64[D]")
    ids, stamps = zip(*rows, strict=True)
    if connection.vendor == "postgresql":
        return ids, _days(stamps)
    local = pd.to_datetime(list(stamps), utc=True, format="ISO8601").tz_convert(timezone.get_current_timezone_name())
    return ids, local.tz_localize(None).normalize().to_numpy().astype("datetime64[D]")


def _referral_decisions(organisation_id: int) -> pd.DataFrame:
    """Referrals closed or declined (the local date of the decision): candidate 'referred, not matched' dates."""
    table = Referral._meta.db_table
    statuses = [ReferralStatus.DECLINED, ReferralStatus.CLOSED]
    if connection.vendor == "postgresql":  # the local date, computed in the database
        rows = _fetch(
            f"SELECT client_id, (COALESCE(status_changed_at, created_at) AT TIME ZONE %s)::date - DATE '1970-01-01' "  # noqa: S608
            f"FROM {table} WHERE organisation_id = %s AND is_active AND status IN (%s, %s)",
            [timezone.get_current_timezone_name(), organisation_id, *statuses])
    else:
        rows = _rows(Referral.objects.filter(organisation_id=organisation_id, is_active=True, status__in=statuses)
                     .annotate(decided=Coalesce("status_changed_at", "created_at")).values_list("client_id", "decided"))
    ids, days = _local_days(rows)
    return pd.DataFrame({"client_id": np.array(ids, dtype="int64"), "decided_on": days.astype("datetime64[ns]")})


def cohort_members(*, organisation_id: int, cohort: Cohort, today: date) -> pd.DataFrame:
    """One row per client in the cohort: ``client_id, group, index_date`` (and ``dob``).

    The group is fixed at the index date from what was known then (intention to treat), and follow-up
    starts at the index date for both groups:

    * peer: the client's first match; index date = its start. Whatever happens later (an early end, a
      re-admission) does not move the client to the other group.
    * comparison (usual care): clients registered as usual care (index = registration date), and referred
      clients whose referral was declined or closed before any match (index = the date of that decision).

    A client's first decision wins. Time spent waiting for a match (referral open, no match yet) belongs
    to neither group: follow-up starts when the decision is made (a per-person landmark at the decision),
    so waiting is never counted as peer time (no immortal time) and events while waiting are baseline
    history. A referred client still waiting today is in neither group."""
    empty = pd.DataFrame({"client_id": pd.Series(dtype="int64"), "group": pd.Series(dtype=object),
                          "index_date": pd.Series(dtype="datetime64[ns]"), "dob": pd.Series(dtype="datetime64[ns]"),
                          "sex": pd.Series(dtype=float), "diagnosis_group": pd.Series(dtype=float)})
    clients = Client.objects.filter(organisation_id=organisation_id, is_active=True)
    if cohort.team_id:
        clients = clients.filter(team_id=cohort.team_id)
    if cohort.program:
        clients = clients.filter(team__team_type=cohort.program)
    if cohort.language:
        clients = clients.filter(language=cohort.language)
    client_table = Client._meta.db_table
    client_rows = _rows(clients.annotate(dob_day=RawSQL(_day_sql(f'"{client_table}"."date_of_birth"'), []),  # noqa: S611 - column name from the model
                                         sex_code=_code("sex"), diagnosis_code=_code("diagnosis_group"))
                        .values_list("pk", "dob_day", "sex_code", "diagnosis_code"))
    if not client_rows:
        return empty
    values = np.array(client_rows, dtype="float64").reshape(-1, 4)
    frame = pd.DataFrame({"dob": _days(values[:, 1]), "sex": values[:, 2], "diagnosis_group": values[:, 3]},
                         index=pd.Index(values[:, 0].astype("int64"), name="client_id"))

    match_rows = _fetch(f"SELECT client_id, {_day_sql('started_on')} FROM {Match._meta.db_table} "  # noqa: S608
                        "WHERE organisation_id = %s", [organisation_id])
    values = np.array(match_rows, dtype="float64").reshape(-1, 2)
    matches = pd.DataFrame({"client_id": values[:, 0].astype("int64"), "started_on": _days(values[:, 1]).astype("datetime64[ns]")})
    frame = frame.join(matches.groupby("client_id")["started_on"].min().rename("peer_index"))
    enrol_rows = _fetch(f"SELECT client_id, {_day_sql('index_date')} FROM {ComparisonEnrolment._meta.db_table} "  # noqa: S608
                        "WHERE organisation_id = %s AND is_active", [organisation_id])
    values = np.array(enrol_rows, dtype="float64").reshape(-1, 2)
    frame = frame.join(pd.Series(_days(values[:, 1]).astype("datetime64[ns]"),
                                 index=pd.Index(values[:, 0].astype("int64"), name="client_id"), name="enrol_index"))
    decisions = _referral_decisions(organisation_id).merge(frame["peer_index"].reset_index(), on="client_id")
    # A referral decided after the first match started was not a 'no match' decision.
    unmatched = decisions[decisions["peer_index"].isna() | (decisions["decided_on"] < decisions["peer_index"])]
    frame = frame.join(unmatched.groupby("client_id")["decided_on"].min().rename("referral_index"))
    peer_index = pd.to_datetime(frame["peer_index"])
    comparison_index = pd.concat([pd.to_datetime(frame["enrol_index"]), pd.to_datetime(frame["referral_index"])], axis=1).min(axis=1)
    is_peer = peer_index.notna() & ~(comparison_index < peer_index)
    frame["group"] = np.where(is_peer, "peer", np.where(comparison_index.notna(), "comparison", None))
    frame["index_date"] = peer_index.where(is_peer, comparison_index)
    # Dates before 1900 are refused on entry; any stored earlier are left out rather than breaking the evaluation.
    frame = frame[frame["group"].notna() & (frame["index_date"] <= pd.Timestamp(today))
                  & (frame["index_date"] >= pd.Timestamp(1900, 1, 1))]
    if cohort.start:
        frame = frame[frame["index_date"] >= pd.Timestamp(cohort.start)]
    if cohort.end:
        frame = frame[frame["index_date"] <= pd.Timestamp(cohort.end)]
    dob = pd.to_datetime(frame["dob"])
    if cohort.age_min is not None or cohort.age_max is not None:
        age = (frame["index_date"] - dob).dt.days / 365.25
        keep = dob.notna()
        if cohort.age_min is not None:
            keep &= age >= cohort.age_min
        if cohort.age_max is not None:
            keep &= age < cohort.age_max + 1
        frame = frame[keep]
    out = frame.reset_index()[["client_id", "group", "index_date", "dob", "sex", "diagnosis_group"]]
    return out.astype({"index_date": "datetime64[ns]", "dob": "datetime64[ns]"})


def _code(field: str) -> Case:
    """A categorical client field as the numeric code of the analysis files (1 = the first level; NULL = not
    recorded), computed in SQL so 100,000s of rows convert to numpy in one step."""
    levels = adjusted.CATEGORICAL[field]
    return Case(*[When(**{field: level}, then=Value(number)) for number, level in enumerate(levels, start=1)],
                default=None, output_field=IntegerField())


def _events(organisation_id: int) -> pd.DataFrame:
    """Admissions and emergency visits of the organisation, straight from SQL as numbers (the large table)."""
    table = ServiceEvent._meta.db_table
    rows = _fetch(
        f"SELECT client_id, CASE WHEN kind = %s THEN 1 ELSE 0 END, {_day_sql('occurred_on')}, {_day_sql('ended_on')} "  # noqa: S608
        f"FROM {table} WHERE organisation_id = %s AND is_active AND kind IN (%s, %s)",
        [EventKind.ADMISSION, organisation_id, EventKind.ADMISSION, EventKind.EMERGENCY],
    )
    values = np.array(rows, dtype="float64").reshape(-1, 4)  # NULL → NaN; one C-level conversion
    return pd.DataFrame({
        "client_id": values[:, 0].astype("int64"),
        "kind": np.where(values[:, 1] == 1, EventKind.ADMISSION.value, EventKind.EMERGENCY.value),
        "occurred_on": _days(values[:, 2]).astype("datetime64[ns]"),
        "ended_on": _days(values[:, 3]).astype("datetime64[ns]"),
    })


def _peer_minutes(organisation_id: int) -> pd.Series:
    # The minutes are copied onto each attendance row, so this reads attendance (and the organisation's clients),
    # not every encounter. Deactivated encounters are few: their ids come from a partial index and are left out
    # by a NOT IN list, instead of an anti-join probing 2M encounters for zero rows (issue 11 point 4).
    inactive = list(Encounter.objects.filter(organisation_id=organisation_id, is_active=False).values_list("pk", flat=True))
    attendance = EncounterAttendance.objects.filter(client__organisation_id=organisation_id)
    if inactive:
        attendance = attendance.exclude(encounter_id__in=inactive)
    query = attendance.values("client_id").annotate(minutes=Sum("duration_minutes")).values_list("client_id", "minutes")
    if connection.vendor == "postgresql":
        # Per-query settings, for this transaction only: the hash aggregate over 2M rows fits in memory instead
        # of spilling at the default 4 MB, and JIT compilation (60 ms) costs more than it saves here.
        with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
            cursor.execute("SET LOCAL work_mem = '64MB'")
            cursor.execute("SET LOCAL jit = off")
            rows = _rows(query)
    else:
        rows = _rows(query)
    values = np.array(rows, dtype="float64").reshape(-1, 2)
    return pd.Series(values[:, 1], index=pd.Index(values[:, 0].astype("int64"), name="client_id"), name="minutes")


def _start_peer_minutes(organisation_id: int) -> Callable[[], pd.Series]:
    """Peer minutes per client (the slowest query: it sums every encounter)."""
    return _in_background(lambda: _peer_minutes(organisation_id))


def _in_background(work: Callable[[], Any]) -> Callable[[], Any]:
    """Runs ``work`` now and returns a function giving its result. (This once ran queries in threads on
    PostgreSQL; threads that import or run lifelines/scipy/statsmodels in a fresh worker failed under load,
    see issue 10 point 17, so every query and analysis now runs in the request's own thread.)"""
    result = work()
    return lambda: result


def _overlap_days(start: pd.Series, end: pd.Series, window_start: pd.Series, window_end: pd.Series) -> pd.Series:
    lo = np.maximum(start.to_numpy("datetime64[ns]"), window_start.to_numpy("datetime64[ns]"))
    hi = np.minimum(end.to_numpy("datetime64[ns]"), window_end.to_numpy("datetime64[ns]"))
    days = (hi - lo).astype("timedelta64[D]").astype(float)
    return pd.Series(np.clip(days, 0, None), index=start.index)


def build_datasets(*, organisation_id: int, cohort: Cohort, today: date | None = None) -> dict[str, pd.DataFrame]:
    """The four de-identified analysis datasets (see ``analysis``) for a cohort."""
    datasets, finish_cost = _build(organisation_id=organisation_id, cohort=cohort, today=today)
    datasets["cost"] = finish_cost()
    return datasets


def _build(*, organisation_id: int, cohort: Cohort, today: date | None) -> tuple[dict[str, pd.DataFrame], Callable[[], pd.DataFrame]]:
    """The km, prepost and did datasets, and a function that completes the cost dataset (it waits for the
    peer-minutes query, which may still be running on its own connection)."""
    peer_minutes = _start_peer_minutes(organisation_id)  # first: these run while the rest is built
    prepost_pairs = _in_background(lambda: _prepost_pairs(organisation_id))
    all_events = _in_background(lambda: _events(organisation_id))
    today = today or timezone.localdate()
    members = cohort_members(organisation_id=organisation_id, cohort=cohort, today=today)
    members["client_code"] = pseudonyms(organisation_id, members["client_id"].to_numpy())
    today_ts = pd.Timestamp(today)
    members["followed_days"] = (today_ts - members["index_date"]).dt.days.astype(float)

    events = all_events().merge(members[["client_id", "index_date"]], on="client_id", how="inner")

    # Time to first re-admission after the index date (censored today).
    admissions = events[events["kind"] == EventKind.ADMISSION]
    after = admissions[admissions["occurred_on"] > admissions["index_date"]]
    first = after.groupby("client_id")["occurred_on"].min()
    km = members.set_index("client_id")[["client_code", "group", "index_date", "followed_days"]].join(first.rename("first_admission"))
    km["event"] = km["first_admission"].notna().astype(int)
    km["time_days"] = np.where(km["event"] == 1, (km["first_admission"] - km["index_date"]).dt.days, km["followed_days"])

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
    window = window.join(inpatient).join(ed_counts)
    window = window.fillna({"days_pre": 0.0, "days_post": 0.0, "pre": 0, "post": 0})
    followed = window[window["post_days"] >= MIN_FOLLOWED_DAYS]

    # Baseline (known at the index date) for the balance table and the propensity model.
    before = admissions[(admissions["occurred_on"] < admissions["index_date"])
                        & (admissions["occurred_on"] >= admissions["index_date"] - pd.Timedelta(days=WINDOW_DAYS))]
    km = km.join(before.groupby("client_id").size().rename("prior_admissions")).join(window[["days_pre", "pre"]])
    dob = members.set_index("client_id")["dob"]
    km["age"] = np.floor((km["index_date"] - dob).dt.days / 365.25)
    km = km.fillna({"prior_admissions": 0, "days_pre": 0.0, "pre": 0})
    km_frame = pd.DataFrame({
        "client_id": km["client_code"], "group": km["group"], "time_days": km["time_days"].astype(float),
        "event": km["event"].astype(int), "followed_days": km["followed_days"].astype(float),
        "age": km["age"].astype(float), "prior_admissions": km["prior_admissions"].astype(float),
        "prior_inpatient_days": km["days_pre"].astype(float), "prior_ed_visits": km["pre"].astype(float),
        "sex": members.set_index("client_id")["sex"].reindex(km.index).astype(float),
        "diagnosis_group": members.set_index("client_id")["diagnosis_group"].reindex(km.index).astype(float),
    }).reset_index(drop=True)

    did_rows = pd.concat([
        pd.DataFrame({"client_id": followed["client_code"], "group": followed["group"], "period": "pre",
                      "outcome": (followed["days_pre"] / (WINDOW_DAYS / DAYS_PER_MONTH)).round(4)}),
        pd.DataFrame({"client_id": followed["client_code"], "group": followed["group"], "period": "post",
                      "outcome": (followed["days_post"] / (followed["post_days"] / DAYS_PER_MONTH)).round(4)}),
    ], ignore_index=True)
    def finish_cost() -> pd.DataFrame:
        return _cost_frame(followed.join(peer_minutes()))

    return {"km": km_frame, "prepost": _prepost(prepost_pairs(), members), "did": did_rows}, finish_cost


def _cost_frame(followed: pd.DataFrame) -> pd.DataFrame:
    followed = followed.assign(minutes=followed["minutes"].fillna(0.0).where(followed["group"] == "peer", 0.0))
    years_since = (followed["followed_days"] / 365.25)
    return pd.DataFrame({
        "client_id": followed["client_code"], "group": followed["group"],
        "years_pre": round(WINDOW_DAYS / 365.25, 4), "years_post": (followed["post_days"] / 365.25).round(4),
        "inpatient_days_pre": followed["days_pre"], "inpatient_days_post": followed["days_post"],
        "ed_visits_pre": followed["pre"].astype(float), "ed_visits_post": followed["post"].astype(float),
        # Peer hours since the index date, scaled to the post window.
        "peer_hours": (followed["minutes"] / 60 * (followed["post_days"] / 365.25) / years_since.clip(lower=1 / 365.25)).round(3),
    }).reset_index(drop=True)


def export_order(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows in pseudonym order, so a file's row order does not follow record creation."""
    return frame.sort_values([c for c in ("client_id", "measure", "period") if c in frame.columns]).reset_index(drop=True)


def _prepost_pairs(organisation_id: int) -> pd.DataFrame:
    """(client, measure, pre, post) pairs from the measures app: first intake, last later score."""
    columns = ["client_id", "measure", "pre", "post"]
    try:
        from peerpath.measures.selectors import prepost_pairs
    except ImportError:
        return pd.DataFrame(columns=columns)
    return pd.DataFrame(prepost_pairs(organisation_id=organisation_id), columns=columns)


def _prepost(pairs: pd.DataFrame, members: pd.DataFrame) -> pd.DataFrame:
    """The pre/post dataset: the cohort members' pairs, with pseudonyms and groups."""
    if pairs.empty:
        return pd.DataFrame(columns=list(analysis.COLUMNS["prepost"]))
    pairs = pairs.merge(members[["client_id", "client_code", "group"]], on="client_id")
    out = pd.DataFrame({"client_id": pairs["client_code"], "group": pairs["group"], "measure": pairs["measure"],
                        "pre": pairs["pre"].astype(float), "post": pairs["post"].astype(float)})
    return out.sort_values(["measure", "group", "client_id"]).reset_index(drop=True)


def checked_cohort(user: Any, *, cohort: Cohort, today: date | None = None, audit_action: str = AuditAction.VIEW) -> Cohort:
    """The cohort with its filters snapped to bands, or a ServiceError (code ``cohort_too_close``) when a cohort next
    to it differs from it by fewer than the threshold people in a group (``cohort_guard``). Every evaluation entry
    point (page, PDF, API, downloads) comes through here; a refusal is audited, as probing would be."""
    today = today or timezone.localdate()
    members = (cohort_members(organisation_id=user.organisation_id, cohort=Cohort(), today=today)
               if cohort_guard.is_filtered(cohort) else pd.DataFrame())
    try:
        return cohort_guard.evaluation_cohort(organisation_id=user.organisation_id, cohort=cohort, members=members,
                                              threshold=min_cell())
    except ServiceError as exc:
        audit_record(actor=user, action=audit_action, target_type="outcomes.evaluation",
                     detail={"cohort": cohort.describe(), "refused": exc.field})
        raise


def evaluation_for(
    user: Any, *, cohort: Cohort, cost_parameters: dict[str, float] | None = None, audit_action: str = AuditAction.VIEW,
    today: date | None = None,
) -> tuple[dict[str, Any], dict[str, pd.DataFrame]]:
    """The whole evaluation for a cohort (aggregates only) and its de-identified datasets.

    Organisation-wide by design: leaders and evaluators see aggregates of the whole organisation,
    never a client's record. The read is audited with the cohort definition and its size."""
    cohort = checked_cohort(user, cohort=cohort, today=today, audit_action=audit_action)
    datasets, finish_cost = _build(organisation_id=user.organisation_id, cohort=cohort, today=today)
    cost_parameters = cost_parameters or dict(analysis.COST_DEFAULTS)

    datasets["cost"] = finish_cost()
    sizes = datasets["km"]["group"].value_counts()
    eligible = {g: int(sizes.get(g, 0)) for g in analysis.GROUPS}
    results = analysis.run_all(datasets, min_cell=min_cell(), cost_parameters=cost_parameters, eligible=eligible)
    groups = datasets["km"]["group"].value_counts()
    results["cohort"] = {
        "filters": cohort.describe(),
        "n": {g: analysis._count(int(groups.get(g, 0)), min_cell()) for g in analysis.GROUPS},
        "min_cell": min_cell(),
        "today": (today or timezone.localdate()).isoformat(),
    }
    results["currency"] = getattr(user.organisation, "currency", "") or ""
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


# Counts of people with an outcome, and group sizes: a file is refused when its page section hides one.
# (Follow-up counts hidden only to protect these — at risk, eligible, excluded — do not refuse a file.)
OUTCOME_COUNT_KEYS = frozenset({"n", "events", "readmitted", "improved", "deteriorated"})


def _hides_a_count(node: Any) -> bool:
    """Whether an analysis result hides a count of people with an outcome, or a group size."""
    if isinstance(node, dict):
        return any((key in OUTCOME_COUNT_KEYS and value is None) or _hides_a_count(value) for key, value in node.items())
    if isinstance(node, list):
        return any(_hides_a_count(v) for v in node)
    return False


def linked_data_allowed(user: Any) -> bool:
    """Roles allowed files that can be joined on one pseudonym (setting ``PEERPATH_LINKED_DATA_ROLES``, none by default)."""
    return user.role in set(getattr(settings, "PEERPATH_LINKED_DATA_ROLES", ()))


def file_pseudonyms(organisation_id: int, codes: pd.Series, kind: str) -> pd.Series:
    """Pseudonyms for one file: re-keyed per file, so rows of two files of one download cannot be joined."""
    key = hashlib.sha256(f"{settings.SECRET_KEY}:outcomes-file:{organisation_id}:{kind}".encode()).hexdigest()[:16]
    hashes = pd.util.hash_pandas_object(codes.astype(str).reset_index(drop=True), index=False, hash_key=key)
    return pd.Series(["F" + format(int(h), "016x") for h in hashes.to_numpy()], index=codes.index)


def download_frame(user: Any, datasets: dict[str, pd.DataFrame], kind: str, *,
                   cost_parameters: dict[str, float] | None = None) -> tuple[pd.DataFrame | None, str]:
    """The rows of one dataset a user may download, never richer than the page: ``(frame, "")`` or
    ``(None, reason)``. Strata the page hides (a measure × group with too few pairs) are removed; a file whose
    page section hides any other count is refused (tabulating the file would give that count back). Pseudonyms
    differ between files unless the user's role is allowed linked data."""
    if not dataset_allowed(datasets):
        return None, "groups"
    frame = datasets[kind]
    if kind == "prepost" and len(frame):
        result = analysis.prepost_analysis(frame, min_cell=min_cell())
        hidden = {(m["measure"], m["group"]) for m in result["measures"] if m["suppressed"] or _hides_a_count(m)}
        frame = frame[[(m, g) not in hidden for m, g in zip(frame["measure"], frame["group"], strict=True)]]
    elif len(frame):
        result = analysis.run_all({kind: frame}, min_cell=min_cell(), cost_parameters=cost_parameters, kinds=(kind,))[kind]
        if _hides_a_count(result):
            return None, "hidden"
    frame = export_order(frame.reset_index(drop=True))
    if not linked_data_allowed(user):
        frame = frame.assign(client_id=file_pseudonyms(user.organisation_id, frame["client_id"], kind))
        frame = export_order(frame)
    return frame, ""


def default_start(today: date) -> date:
    return today - timedelta(days=3 * 365)
