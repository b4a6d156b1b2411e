"""The training catalogue, required courses per role and team, completions with certificates, and coverage."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from peerpath.accounts.models import StaffMember
from peerpath.workforce.models import (
    Course,
    CourseRequirement,
    TrainingCompletion,
)
from peerpath.workforce.staff.selectors import visible_staff


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
