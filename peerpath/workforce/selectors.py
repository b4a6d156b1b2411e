"""Reads for the workforce module. Always scoped to the reader's organisation; a missing or forbidden
object raises the same Http404."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from statistics import median
from typing import Any

from django.db.models import Max, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from peerpath.accounts.models import StaffMember
from peerpath.core.choices import Role
from peerpath.core.models import Team
from peerpath.workforce import survey
from peerpath.workforce.models import (
    BoundaryCategory,
    BoundaryConsultation,
    Course,
    CourseRequirement,
    Credential,
    EmploymentTerms,
    Notification,
    RoleDefinition,
    RoleDefinitionReview,
    SupervisionPolicy,
    SupervisionSession,
    SurveyReceipt,
    SurveyResponse,
    SurveyRound,
    TrainingCompletion,
)

MIN_CELL = 5
ORG_WIDE = frozenset({Role.LEADER, Role.ADMIN})


# ------------------------------------------------------------------ people

def supervisors_of(peer: Any) -> QuerySet[StaffMember]:
    """The supervisors of the peer's team(s)."""
    team_ids = peer.memberships.filter(is_active=True).values("team_id")
    return (StaffMember.objects.filter(organisation_id=peer.organisation_id, role=Role.SUPERVISOR, is_active=True,
                                       memberships__team_id__in=team_ids, memberships__is_active=True)
            .exclude(pk=peer.pk).distinct())


def is_supervisor_of(user: Any, peer: StaffMember) -> bool:
    return (user.role == Role.SUPERVISOR and user.organisation_id == peer.organisation_id
            and supervisors_of(peer).filter(pk=user.pk).exists())


def visible_staff(user: Any) -> QuerySet[StaffMember]:
    """Staff whose workforce records the user may see: leader/admin all, supervisors their teams, others themselves."""
    qs = StaffMember.objects.filter(organisation_id=user.organisation_id, is_active=True)
    if user.role in ORG_WIDE:
        return qs.order_by("last_name", "first_name", "username")
    if user.role == Role.SUPERVISOR:
        team_ids = user.memberships.filter(is_active=True).values("team_id")
        return (qs.filter(Q(pk=user.pk) | Q(memberships__team_id__in=team_ids, memberships__is_active=True))
                .distinct().order_by("last_name", "first_name", "username"))
    return qs.filter(pk=user.pk)


def staff_for(user: Any, staff_id: int) -> StaffMember:
    staff = visible_staff(user).filter(pk=staff_id).first()
    if staff is None:
        raise Http404
    return staff


def org_staff(user: Any) -> QuerySet[StaffMember]:
    return StaffMember.objects.filter(organisation_id=user.organisation_id, is_active=True).order_by(
        "last_name", "first_name", "username")


# ------------------------------------------------------------------ credentials

def credential_lapsed_for(staff: StaffMember, *, today: date | None = None) -> bool:
    """True when one of the staff member's credentials has expired and no current credential of the same
    name replaces it (billing checks use this)."""
    today = today or timezone.localdate()
    latest = (Credential.objects.filter(staff_id=staff.pk, is_active=True)
              .values("name").annotate(latest=Max("expires_on")))
    return any(row["latest"] < today for row in latest)


def credentials_for(user: Any, staff: StaffMember | None = None) -> QuerySet[Credential]:
    qs = Credential.objects.filter(organisation_id=user.organisation_id, is_active=True,
                                   staff__in=visible_staff(user)).select_related("staff")
    if staff is not None:
        qs = qs.filter(staff=staff)
    return qs.order_by("expires_on", "id")


def credential_status(credential: Credential, today: date | None = None) -> str:
    today = today or timezone.localdate()
    if credential.expires_on < today:
        return "lapsed"
    if credential.expires_on <= today + timedelta(days=90):
        return "expiring"
    return "current"


# ------------------------------------------------------------------ role definitions

def role_definitions_for(user: Any) -> QuerySet[RoleDefinition]:
    return RoleDefinition.objects.filter(organisation_id=user.organisation_id, is_active=True).order_by(
        "title", "-version")


def role_definition_for(user: Any, pk: int) -> RoleDefinition:
    definition = role_definitions_for(user).filter(pk=pk).first()
    if definition is None:
        raise Http404
    return definition


def can_review(user: Any, definition: RoleDefinition) -> bool:
    return RoleDefinitionReview.objects.filter(definition=definition, reviewer_id=user.pk, is_active=True).exists()


def compare(a: RoleDefinition, b: RoleDefinition) -> list[dict[str, Any]]:
    names = ["purpose", "peer_functions", "generic_duties", "not_the_role", "team_type", "supervision_arrangement",
             "hours_and_flexibility", "pay_band", "record_access", "disclosure_control"]
    return [{"label": getattr(RoleDefinition._meta.get_field(n), "verbose_name", n), "a": getattr(a, n), "b": getattr(b, n),
             "changed": getattr(a, n) != getattr(b, n)} for n in names]


# ------------------------------------------------------------------ training

def courses_for(user: Any) -> QuerySet[Course]:
    return Course.objects.filter(organisation_id=user.organisation_id, is_active=True).order_by("title")


def course_for(user: Any, pk: int) -> Course:
    course = courses_for(user).filter(pk=pk).first()
    if course is None:
        raise Http404
    return course


def completions_for(user: Any, staff: StaffMember | None = None) -> QuerySet[TrainingCompletion]:
    qs = TrainingCompletion.objects.filter(organisation_id=user.organisation_id, is_active=True,
                                           staff__in=visible_staff(user)).select_related("course", "staff")
    return qs.filter(staff=staff) if staff is not None else qs


def completion_for(user: Any, pk: int) -> TrainingCompletion:
    completion = completions_for(user).filter(pk=pk).first()
    if completion is None:
        raise Http404
    return completion


@dataclass
class CoverageRow:
    staff: StaffMember
    required: list[Course] = field(default_factory=list)
    missing: list[Course] = field(default_factory=list)


def coverage(user: Any) -> list[CoverageRow]:
    """For each staff member the user may see (peers and non-peer staff): required courses and those missing."""
    staff = list(visible_staff(user).prefetch_related("memberships"))
    requirements = list(CourseRequirement.objects.filter(organisation_id=user.organisation_id, is_active=True,
                                                         course__is_active=True).select_related("course"))
    done: dict[int, set[int]] = defaultdict(set)
    for staff_id, course_id in TrainingCompletion.objects.filter(
            organisation_id=user.organisation_id, is_active=True, staff__in=[s.pk for s in staff]
    ).values_list("staff_id", "course_id"):
        done[staff_id].add(course_id)
    rows = []
    for person in staff:
        team_ids = {m.team_id for m in person.memberships.all() if m.is_active}
        required = {r.course.pk: r.course for r in requirements
                    if r.role == person.role and (r.team_id is None or r.team_id in team_ids)}
        courses = sorted(required.values(), key=lambda c: c.title)
        rows.append(CoverageRow(person, courses, [c for c in courses if c.pk not in done[person.pk]]))
    return rows


# ------------------------------------------------------------------ supervision

def policy_days(organisation_id: Any) -> int:
    policy = SupervisionPolicy.objects.filter(organisation_id=organisation_id, is_active=True).first()
    return policy.max_days_between_sessions if policy else 31


@dataclass
class SupervisionRow:
    peer: StaffMember
    last_session: date | None
    due_on: date
    overdue: bool


def _status_rows(peers: QuerySet[StaffMember], organisation_id: Any, today: date) -> list[SupervisionRow]:
    days = policy_days(organisation_id)
    peers = peers.annotate(last_session=Max("supervision_sessions__held_on",
                                            filter=Q(supervision_sessions__is_active=True)))
    rows = []
    for peer in peers:
        start = peer.last_session or timezone.localdate(peer.date_joined)
        due = start + timedelta(days=days)
        rows.append(SupervisionRow(peer, peer.last_session, due, due < today))
    return sorted(rows, key=lambda r: (not r.overdue, r.due_on))


def supervision_status_for_org(organisation_id: Any, *, today: date | None = None) -> list[SupervisionRow]:
    peers = StaffMember.objects.filter(organisation_id=organisation_id, role=Role.PEER, is_active=True)
    return _status_rows(peers, organisation_id, today or timezone.localdate())


def supervision_status_for(user: Any, *, today: date | None = None) -> list[SupervisionRow]:
    peers = visible_staff(user).filter(role=Role.PEER)
    return _status_rows(peers, user.organisation_id, today or timezone.localdate())


def sessions_for(user: Any) -> QuerySet[SupervisionSession]:
    qs = SupervisionSession.objects.filter(organisation_id=user.organisation_id, is_active=True)
    if user.role not in ORG_WIDE:
        qs = qs.filter(Q(led_by=user) | Q(attendees=user)).distinct()
    return qs.select_related("led_by").prefetch_related("attendees").order_by("-held_on", "-id")


def session_for(user: Any, pk: int) -> SupervisionSession:
    session = sessions_for(user).filter(pk=pk).first()
    if session is None:
        raise Http404
    return session


# ------------------------------------------------------------------ boundaries

def boundaries_for(user: Any) -> QuerySet[BoundaryConsultation]:
    """Only the peer who raised it and their supervisor(s): never leaders or admins."""
    qs = BoundaryConsultation.objects.filter(organisation_id=user.organisation_id, is_active=True)
    if user.role == Role.PEER:
        return qs.filter(raised_by=user).select_related("raised_by")
    if user.role == Role.SUPERVISOR:
        team_ids = user.memberships.filter(is_active=True).values("team_id")
        peers = StaffMember.objects.filter(organisation_id=user.organisation_id, role=Role.PEER,
                                           memberships__team_id__in=team_ids, memberships__is_active=True)
        return qs.filter(raised_by__in=peers).select_related("raised_by")
    return qs.none()


def boundary_for(user: Any, pk: int) -> BoundaryConsultation:
    consultation = boundaries_for(user).filter(pk=pk).first()
    if consultation is None:
        raise Http404
    return consultation


def _quarter(d: date) -> str:
    return f"{d.year}-Q{(d.month - 1) // 3 + 1}"


def boundary_trend(organisation_id: Any) -> dict[str, Any]:
    """Counts by quarter and category with cells under five suppressed (None)."""
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for created, category in BoundaryConsultation.objects.filter(
            organisation_id=organisation_id, is_active=True).values_list("created_at", "category"):
        counts[(_quarter(timezone.localdate(created)), category)] += 1
    quarters = sorted({q for q, _c in counts})
    rows = []
    for quarter in quarters:
        cells = []
        for value, label in BoundaryCategory.choices:
            n = counts.get((quarter, value), 0)
            cells.append({"category": value, "label": label, "count": n if n >= MIN_CELL else None})
        rows.append({"quarter": quarter, "cells": cells})
    return {"categories": BoundaryCategory.choices, "rows": rows, "min_cell": MIN_CELL}


# ------------------------------------------------------------------ surveys

def survey_rounds_for(user: Any) -> QuerySet[SurveyRound]:
    return SurveyRound.objects.filter(organisation_id=user.organisation_id, is_active=True).order_by("-opens_on")


def survey_round_for(user: Any, pk: int) -> SurveyRound:
    survey_round = survey_rounds_for(user).filter(pk=pk).first()
    if survey_round is None:
        raise Http404
    return survey_round


def open_rounds_to_answer(user: Any) -> list[SurveyRound]:
    today = timezone.localdate()
    answered = SurveyReceipt.objects.filter(staff_id=user.pk).values("survey_round_id")
    return list(survey_rounds_for(user).filter(opens_on__lte=today, closes_on__gte=today)
                .exclude(pk__in=answered))


def _summary(answer_sets: list[dict[str, Any]]) -> dict[str, Any] | None:
    n = len(answer_sets)
    if n < MIN_CELL:
        return None
    means = {k: round(sum(a[k] for a in answer_sets) / n, 2) for k in survey.AGREEMENT_KEYS}
    shares = {k: round(100 * sum(1 for a in answer_sets if a.get(k)) / n) for k in survey.YES_NO_KEYS}
    return {"n": n, "means": means, "shares": shares}


def survey_results(survey_round: SurveyRound) -> dict[str, Any]:
    by_team: dict[Any, list[dict[str, Any]]] = defaultdict(list)
    for team_id, answers in SurveyResponse.objects.filter(survey_round=survey_round).values_list("team_id", "answers"):
        by_team[team_id].append(answers)
    teams: dict[Any, str] = {t.pk: t.name for t in Team.objects.filter(pk__in=[k for k in by_team if k])}
    everyone = [a for answers in by_team.values() for a in answers]
    team_rows = [{"team": teams.get(team_id, "—"), "summary": _summary(answers)}
                 for team_id, answers in sorted(by_team.items(), key=lambda kv: teams.get(kv[0], ""))]
    return {"overall": _summary(everyone), "teams": team_rows, "min_cell": MIN_CELL,
            "responded": SurveyReceipt.objects.filter(survey_round=survey_round).count()}


def survey_trend(user: Any) -> list[dict[str, Any]]:
    rows = []
    for survey_round in survey_rounds_for(user).order_by("opens_on"):
        answers = list(SurveyResponse.objects.filter(survey_round=survey_round).values_list("answers", flat=True))
        rows.append({"round": survey_round, "summary": _summary(answers)})
    return rows


# ------------------------------------------------------------------ pay equity

HOURS_BANDS = [(Decimal(0), Decimal(20), "< 20"), (Decimal(20), Decimal(30), "20–29.9"),
               (Decimal(30), Decimal(35), "30–34.9"), (Decimal(35), Decimal(100), "35+")]


def pay_equity(organisation_id: Any) -> list[dict[str, Any]]:
    """Median pay per hour by hours band and role (peer vs every other role); groups under five hidden."""
    groups: dict[tuple[str, str], list[Decimal]] = defaultdict(list)
    for role, pay, hours in EmploymentTerms.objects.filter(
            staff__organisation_id=organisation_id, staff__is_active=True, is_active=True
    ).values_list("staff__role", "hourly_pay", "weekly_hours"):
        band = next(label for low, high, label in HOURS_BANDS if low <= hours < high)
        groups[(band, "peer" if role == Role.PEER else "other")].append(pay)
    rows = []
    for _low, _high, band in HOURS_BANDS:
        peer, other = groups.get((band, "peer"), []), groups.get((band, "other"), [])
        if not peer and not other:
            continue
        peer_median = Decimal(median(peer)).quantize(Decimal("0.01")) if len(peer) >= MIN_CELL else None
        other_median = Decimal(median(other)).quantize(Decimal("0.01")) if len(other) >= MIN_CELL else None
        ratio = (peer_median / other_median * 100).quantize(Decimal("1")) if peer_median and other_median else None
        rows.append({"band": band, "peer_n": len(peer), "other_n": len(other), "peer_median": peer_median,
                     "other_median": other_median, "ratio": ratio})
    return rows


# ------------------------------------------------------------------ notifications

def notifications_for(user: Any) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient_id=user.pk, organisation_id=user.organisation_id, is_active=True)
