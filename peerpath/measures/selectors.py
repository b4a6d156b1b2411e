"""Reads of instruments, administrations, schedules and follow-up rates.

Client-level reads go through ``peerpath.clients.permissions.visible_clients`` (peer: own caseload; supervisor and
clinician: their teams; leader and admin: the organisation; evaluator: nobody). A missing and a forbidden record
raise the same 404. Evaluators get no client-level data here: they see aggregates in the outcomes evaluation,
which reads ``scored_administrations`` (the contract below).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db import connection
from django.db.models import F, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from peerpath.clients.models import Client, Match
from peerpath.clients.permissions import visible_clients
from peerpath.core.audit import audit_record
from peerpath.core.choices import AuditAction, Role
from peerpath.measures.choices import AdministrationStatus, Licence, Timepoint
from peerpath.measures.models import (
    Administration,
    Instrument,
    InstrumentItem,
    ItemAnswer,
    ItemTextOverride,
    MeasureSchedule,
    SafetyAlert,
)

READ_ROLES = frozenset({Role.PEER, Role.SUPERVISOR, Role.CLINICIAN, Role.LEADER, Role.ADMIN})
ANSWER_READERS = frozenset({Role.PEER, Role.SUPERVISOR, Role.LEADER, Role.ADMIN})  # clinicians: scores only
ADMINISTER_ROLES = frozenset({Role.PEER, Role.SUPERVISOR, Role.LEADER})
RATE_ROLES = frozenset({Role.SUPERVISOR, Role.LEADER, Role.ADMIN})
MISSED_SHOWN_DAYS = 60


# ---------------------------------------------------------------- the contract used by peerpath.outcomes

def scored_administrations(*, organisation_id: int, client_ids: list[int] | None = None) -> QuerySet[Administration, dict[str, Any]]:
    """Completed, scored administrations of an organisation as dicts with the keys
    ``client_id, instrument__code, timepoint, completed_at, total_score`` (used by the outcomes evaluation)."""
    rows = Administration.objects.filter(organisation_id=organisation_id, status=AdministrationStatus.COMPLETED,
                                         is_active=True, total_score__isnull=False)
    if client_ids is not None:
        rows = rows.filter(client_id__in=list(client_ids))
    return rows.order_by().values("client_id", "instrument__code", "timepoint", "completed_at", "total_score")



def prepost_pairs(*, organisation_id: int) -> list[tuple[int, str, float, float]]:
    """``(client_id, instrument code, pre, post)`` for every client and instrument with an intake score and a
    later follow-up or discharge score: the first intake and the last later score (by completion time).

    Paired in the database with window functions (SQLite and PostgreSQL) so an organisation's 300,000
    administrations come back as one row per pair, not one Python object per administration."""
    administration = Administration._meta.db_table
    instrument = Administration._meta.get_field("instrument").related_model._meta.db_table
    sql = f"""
    WITH ranked AS (
      SELECT client_id, instrument_id, timepoint, completed_at, total_score,
             ROW_NUMBER() OVER (PARTITION BY client_id, instrument_id, timepoint = 'intake'
                                ORDER BY completed_at ASC, id ASC) AS first_rn,
             ROW_NUMBER() OVER (PARTITION BY client_id, instrument_id, timepoint = 'intake'
                                ORDER BY completed_at DESC, id DESC) AS last_rn
      FROM {administration}
      WHERE organisation_id = %s AND status = %s AND is_active = %s AND total_score IS NOT NULL
        AND completed_at IS NOT NULL),
    paired AS (
      SELECT client_id, instrument_id,
             MAX(CASE WHEN timepoint = 'intake' AND first_rn = 1 THEN total_score END) AS pre,
             MAX(CASE WHEN timepoint = 'intake' AND first_rn = 1 THEN completed_at END) AS pre_at,
             MAX(CASE WHEN timepoint <> 'intake' AND last_rn = 1 THEN total_score END) AS post,
             MAX(CASE WHEN timepoint <> 'intake' AND last_rn = 1 THEN completed_at END) AS post_at
      FROM ranked WHERE first_rn = 1 OR last_rn = 1
      GROUP BY client_id, instrument_id)
    SELECT p.client_id, i.code, CAST(p.pre AS DOUBLE PRECISION), CAST(p.post AS DOUBLE PRECISION)
    FROM paired p JOIN {instrument} i ON i.id = p.instrument_id
    WHERE p.pre IS NOT NULL AND p.post IS NOT NULL AND p.post_at > p.pre_at
    """  # noqa: S608 (table names from model metadata; values are parameters)
    with connection.cursor() as cursor:
        cursor.execute(sql, [organisation_id, AdministrationStatus.COMPLETED, True])
        return [(int(c), str(code), float(pre), float(post)) for c, code, pre, post in cursor.fetchall()]

# ---------------------------------------------------------------- clients and administrations

def readable_clients(user: Any) -> QuerySet[Client]:
    if getattr(user, "role", None) not in READ_ROLES:
        return Client.objects.none()
    return visible_clients(user)


def client_for(user: Any, client_id: int, *, audit: bool = True) -> Client:
    client = readable_clients(user).select_related("team").filter(pk=client_id).first()
    if client is None:
        raise Http404("No such client.")
    if audit:
        audit_record(actor=user, action=AuditAction.VIEW, target=client, client=client, detail={"page": "measures"})
    return client


def administrations_for_client(user: Any, client: Client) -> QuerySet[Administration]:
    """A client's administrations (the caller resolved ``client`` through ``client_for``, which audits the read)."""
    return (Administration.objects.filter(organisation_id=user.organisation_id, client=client, is_active=True)
            .select_related("instrument", "entered_by")
            .order_by(F("completed_at").desc(nulls_last=True), F("due_on").asc(nulls_last=True), "-pk"))


def administration_for(user: Any, pk: int) -> Administration:
    administration = (Administration.objects.filter(pk=pk, organisation_id=user.organisation_id, is_active=True,
                                                    client__in=readable_clients(user))
                      .select_related("client", "instrument", "entered_by").first())
    if administration is None:
        raise Http404("No such administration.")
    return administration


def answers_for(user: Any, administration: Administration, *, audit: bool = True) -> list[ItemAnswer]:
    """The item answers; clinicians read scores only. Every read of a client's answers is audited."""
    if user.role not in ANSWER_READERS:
        return []
    answers = list(administration.answers.select_related("item").order_by("item__number"))
    if audit:
        audit_record(actor=user, action=AuditAction.VIEW, target=administration, client=administration.client,
                     detail={"answers": True})
    return answers


def alerts_for_client(user: Any, client: Client) -> QuerySet[SafetyAlert]:
    return SafetyAlert.objects.filter(organisation_id=user.organisation_id, client=client).select_related("administration")


def open_alerts_for(user: Any) -> QuerySet[SafetyAlert]:
    """Unacknowledged safety alerts for clients the user may see."""
    if user.role not in ADMINISTER_ROLES:
        return SafetyAlert.objects.none()
    return (SafetyAlert.objects.filter(organisation_id=user.organisation_id, acknowledged_at__isnull=True,
                                       client__in=visible_clients(user))
            .select_related("client", "administration__instrument").order_by("-created_at"))


def peers_of(client: Client) -> list[Any]:
    return [m.peer for m in Match.objects.filter(client=client, is_active=True).select_related("peer")]


# ---------------------------------------------------------------- instruments

def instruments_for(user: Any, *, published_only: bool = False) -> QuerySet[Instrument]:
    """Shipped instruments and the organisation's own."""
    rows = Instrument.objects.filter(Q(organisation__isnull=True) | Q(organisation_id=user.organisation_id), is_active=True)
    if published_only:
        rows = rows.filter(is_published=True)
    return rows.order_by("organisation_id", "name")


def instrument_for(user: Any, pk: int) -> Instrument:
    instrument = instruments_for(user).filter(pk=pk).first()
    if instrument is None:
        raise Http404("No such instrument.")
    return instrument


def usable_instruments(organisation_id: int) -> QuerySet[Instrument]:
    """Published instruments an organisation can give: its own, and shipped ones whose text it can show."""
    rows = Instrument.objects.filter(Q(organisation__isnull=True) | Q(organisation_id=organisation_id), is_active=True,
                                     is_published=True)
    licensed = ItemTextOverride.objects.filter(organisation_id=organisation_id, is_active=True).values("item__instrument_id")
    return rows.filter(~Q(licence=Licence.SCORING_ONLY) | Q(pk__in=licensed)).order_by("name")


@dataclass
class Question:
    item: InstrumentItem
    text: str
    options: list[tuple[int, str]]


def questions(instrument: Instrument, organisation_id: int, language: str) -> list[Question]:
    """The items as the client sees them: the organisation's own wording first, then the shipped text."""
    items = list(instrument.items.filter(is_active=True).order_by("number"))
    overrides = {o.item_id: o for o in ItemTextOverride.objects.filter(organisation_id=organisation_id, is_active=True,
                                                                        item__instrument=instrument)}
    options: dict[str, list[tuple[int, str]]] = {}
    for option in instrument.options.filter(is_active=True).order_by("value"):
        options.setdefault(option.option_set, []).append((option.value, option.label_in(language)))
    out = []
    for item in items:
        source: Any = overrides.get(item.pk) or item
        text = (source.text_es if language == "es" and source.text_es else source.text) or ""
        out.append(Question(item=item, text=text, options=options.get(item.option_set, [])))
    return out


def has_all_text(instrument: Instrument, organisation_id: int) -> bool:
    return all(q.text for q in questions(instrument, organisation_id, "en"))


# ---------------------------------------------------------------- due, overdue, missed

def _scope(user: Any) -> QuerySet[Administration]:
    return Administration.objects.filter(organisation_id=user.organisation_id, is_active=True,
                                         client__in=visible_clients(user))


def due_lists(user: Any, *, today: date | None = None) -> dict[str, list[Administration]]:
    """For the user's clients: ``due`` (window open, not yet past due), ``overdue`` (past due, window still open),
    ``missed`` (window closed, not done; the last 60 days)."""
    today = today or timezone.localdate()
    if user.role not in ADMINISTER_ROLES:
        return {"due": [], "overdue": [], "missed": []}
    base = _scope(user).select_related("client", "instrument")
    open_rows = list(base.filter(status=AdministrationStatus.DUE)
                     .filter(Q(window_start__isnull=True) | Q(window_start__lte=today))
                     .filter(Q(window_end__isnull=True) | Q(window_end__gte=today)).order_by("due_on", "pk")[:500])
    missed = list(base.filter(Q(status=AdministrationStatus.MISSED) | Q(status=AdministrationStatus.DUE, window_end__lt=today),
                              window_end__gte=today - timedelta(days=MISSED_SHOWN_DAYS)).order_by("-window_end", "pk")[:200])
    return {
        "due": [a for a in open_rows if not (a.due_on and a.due_on < today)],
        "overdue": [a for a in open_rows if a.due_on and a.due_on < today],
        "missed": missed,
    }


# ---------------------------------------------------------------- follow-up rates

@dataclass
class RateRow:
    schedule: MeasureSchedule
    closed: int  # follow-ups whose window has closed
    completed: int  # of those, completed inside the window
    target: int

    @property
    def rate(self) -> float | None:
        return round(100 * self.completed / self.closed, 1) if self.closed else None

    @property
    def below_target(self) -> bool:
        return self.rate is not None and self.rate < self.target


def schedules_for(user: Any) -> QuerySet[MeasureSchedule]:
    rows = MeasureSchedule.objects.filter(organisation_id=user.organisation_id, is_active=True).select_related("team")
    if user.role == Role.SUPERVISOR:
        rows = rows.filter(Q(team__isnull=True) | Q(team__in=user.teams.filter(is_active=True)))
    return rows.order_by("name")


def schedule_for(user: Any, pk: int) -> MeasureSchedule:
    schedule = schedules_for(user).filter(pk=pk).first()
    if schedule is None:
        raise Http404("No such schedule.")
    return schedule


def followup_rates(user: Any, *, today: date | None = None) -> list[RateRow]:
    """Per schedule (program): follow-ups completed within their window ÷ follow-ups whose window has closed.
    Each administration counts once (one instrument at one follow-up time point of one client)."""
    today = today or timezone.localdate()
    if user.role not in RATE_ROLES:
        return []
    schedules = list(schedules_for(user))
    counts = _rate_counts(user.organisation_id, [s.pk for s in schedules], today)
    return [RateRow(schedule=s, closed=counts.get(s.pk, (0, 0))[0], completed=counts.get(s.pk, (0, 0))[1],
                    target=s.target_followup_rate) for s in schedules]


def _rate_counts(organisation_id: int, schedule_ids: list[int], today: date) -> dict[int, tuple[int, int]]:
    rows = (Administration.objects.filter(organisation_id=organisation_id, is_active=True, timepoint=Timepoint.FOLLOWUP,
                                          enrolment__schedule_id__in=schedule_ids, window_end__lt=today)
            .exclude(status=AdministrationStatus.CANCELLED)
            .values_list("enrolment__schedule_id", "status", "completed_at", "window_start", "window_end"))
    counts: dict[int, list[int]] = {}
    for schedule_id, status, completed_at, start, end in rows:
        entry = counts.setdefault(schedule_id, [0, 0])
        entry[0] += 1
        if status == AdministrationStatus.COMPLETED and completed_at is not None:
            done = timezone.localdate(completed_at)
            if (start is None or done >= start) and done <= end:
                entry[1] += 1
    return {k: (v[0], v[1]) for k, v in counts.items()}
