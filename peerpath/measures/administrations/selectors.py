"""Administrations: a measure given to a client (in session or by link), its answers, score and safety alerts."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any, cast

from django.db import connection
from django.db.models import F, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from peerpath.clients.models import Client, Match
from peerpath.clients.permissions import visible_clients
from peerpath.core.audit import audit_record, audit_shown
from peerpath.core.choices import AuditAction, Role
from peerpath.core.models import Organisation
from peerpath.measures.choices import AdministrationStatus
from peerpath.measures.models import (
    Administration,
    ItemAnswer,
    SafetyAlert,
)

READ_ROLES = frozenset({Role.PEER, Role.SUPERVISOR, Role.CLINICIAN, Role.LEADER, Role.ADMIN})


ANSWER_READERS = frozenset({Role.PEER, Role.SUPERVISOR, Role.LEADER, Role.ADMIN})  # clinicians: scores only


ADMINISTER_ROLES = frozenset({Role.PEER, Role.SUPERVISOR, Role.LEADER})


MISSED_SHOWN_DAYS = 60


def scored_administrations(*, organisation_id: int, client_ids: list[int] | None = None) -> QuerySet[Administration, dict[str, Any]]:
    """Completed, scored administrations of an organisation as dicts with the keys
    ``client_id, instrument__code, timepoint, completed_at, total_score`` (used by the outcomes evaluation)."""
    rows = Administration.objects.filter(organisation_id=organisation_id, status=AdministrationStatus.COMPLETED,
                                         is_active=True, total_score__isnull=False)
    if client_ids is not None:
        rows = rows.filter(client_id__in=list(client_ids))
    return cast("QuerySet[Administration, dict[str, Any]]",
                rows.order_by().values("client_id", "instrument__code", "timepoint", "completed_at", "total_score"))


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


def open_alerts_shown(user: Any, *, limit: int = 20) -> list[SafetyAlert]:
    """The open safety alerts about to be shown on the due page; their clients are audited."""
    rows = list(open_alerts_for(user)[:limit])
    audit_shown(actor=user, target_type="measures.safetyalert", client_ids=[a.client_id for a in rows])
    return rows


def open_alerts_for(user: Any) -> QuerySet[SafetyAlert]:
    """Unacknowledged safety alerts for clients the user may see."""
    if user.role not in ADMINISTER_ROLES:
        return SafetyAlert.objects.none()
    return (SafetyAlert.objects.filter(organisation_id=user.organisation_id, acknowledged_at__isnull=True,
                                       client__in=visible_clients(user))
            .select_related("client", "administration__instrument").order_by("-created_at"))


def peers_of(client: Client) -> list[Any]:
    return [m.peer for m in Match.objects.filter(client=client, is_active=True).select_related("peer")]


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
    audit_shown(actor=user, target_type="measures.due", client_ids=[a.client_id for a in (*open_rows, *missed)])
    return {
        "due": [a for a in open_rows if not (a.due_on and a.due_on < today)],
        "overdue": [a for a in open_rows if a.due_on and a.due_on < today],
        "missed": missed,
    }


def organisation_of(user: Any) -> Organisation:
    """The user's own organisation (its safety protocol is shown beside a result)."""
    return Organisation.objects.get(pk=user.organisation_id)


def alert_for(user: Any, pk: int) -> SafetyAlert:
    """An open-or-closed safety alert of a client the user may read; missing and forbidden are one 404."""
    alert = (SafetyAlert.objects.filter(pk=pk, organisation_id=user.organisation_id, client__in=readable_clients(user))
             .select_related("client").first())
    if alert is None:
        raise Http404
    return alert


def recent_administrations_for(user: Any, *, limit: int = 500) -> QuerySet[Administration]:
    """The latest administrations of every client the user may read (the API list without a client)."""
    return (Administration.objects.filter(organisation_id=user.organisation_id, is_active=True,
                                          client__in=readable_clients(user))
            .select_related("instrument").order_by("-pk")[:limit])
