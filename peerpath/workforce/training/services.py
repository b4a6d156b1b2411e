"""The training catalogue, required courses per role and team, completions with certificates, and coverage."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from peerpath.accounts.models import StaffMember
from peerpath.core.audit import audit_record
from peerpath.core.choices import AuditAction, Role
from peerpath.core.exceptions import NotAllowed, ServiceError
from peerpath.core.validation import clean_text
from peerpath.workforce.models import (
    Course,
    CourseRequirement,
    CourseTopic,
    TrainingCompletion,
)
from peerpath.workforce.staff.services import _hours, _require, _same_org

CATALOGUE_EDITORS = frozenset({Role.LEADER, Role.ADMIN})


TRAINING_RECORDERS = frozenset({Role.SUPERVISOR, Role.LEADER, Role.ADMIN})  # may record for others


MAX_CERTIFICATE_BYTES = 5 * 1024 * 1024


CERTIFICATE_SIGNATURES = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
)


def course_create(*, actor: Any, title: str, topic: str, hours: Any, description: str = "") -> Course:
    _require(actor, CATALOGUE_EDITORS)
    title = clean_text(title, "title", max_length=200)
    if topic not in CourseTopic.values:
        raise ServiceError(_("Choose a topic."), field="topic")
    with transaction.atomic():
        course = Course.objects.create(organisation_id=actor.organisation_id, title=title, topic=topic,
                                       hours=_hours(hours, "hours"), description=clean_text(description, "description",
                                                                                      required=False))
        audit_record(actor=actor, action=AuditAction.CREATE, target=course)
    return course


def course_require(*, actor: Any, course: Course, role: str, team: Any = None) -> CourseRequirement:
    _require(actor, CATALOGUE_EDITORS)
    _same_org(actor, course)
    if role not in Role.values:
        raise ServiceError(_("Choose a role."), field="role")
    if team is not None and team.organisation_id != actor.organisation_id:
        raise ServiceError(_("Choose a team of your organisation."), field="team")
    with transaction.atomic():
        requirement, _created = CourseRequirement.objects.get_or_create(
            organisation_id=actor.organisation_id, course=course, role=role, team=team)
        audit_record(actor=actor, action=AuditAction.CREATE, target=requirement)
    return requirement


def check_certificate(upload: Any) -> str:
    """Return the content type of an acceptable certificate, judged by its first bytes, or refuse it."""
    if upload.size > MAX_CERTIFICATE_BYTES:
        raise ServiceError(_("The certificate is larger than 5 MB."), field="certificate")
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    for signature, content_type in CERTIFICATE_SIGNATURES:
        if head.startswith(signature):
            return content_type
    raise ServiceError(_("The certificate must be a PDF, PNG or JPEG file."), field="certificate")


def completion_record(*, actor: Any, staff: StaffMember, course: Course, completed_on: date,
                      hours: Any = None, certificate: Any = None) -> TrainingCompletion:
    if staff.pk != actor.pk:
        _require(actor, TRAINING_RECORDERS, _("You can record only your own training."))
    _same_org(actor, course)
    if staff.organisation_id != actor.organisation_id:
        raise NotAllowed
    if not isinstance(completed_on, date):
        raise ServiceError(_("Enter a date."), field="completed_on")
    if completed_on > timezone.localdate():
        raise ServiceError(_("The completion date cannot be in the future."), field="completed_on")
    hours_value = _hours(course.hours if hours in (None, "") else hours, "hours")
    content_type = check_certificate(certificate) if certificate else ""
    with transaction.atomic():
        completion = TrainingCompletion(organisation_id=actor.organisation_id, staff=staff, course=course,
                                        completed_on=completed_on, hours=hours_value, certificate_type=content_type)
        if certificate:
            ext = {"application/pdf": "pdf", "image/png": "png", "image/jpeg": "jpg"}[content_type]
            completion.certificate.save(f"{uuid.uuid4().hex}.{ext}", certificate, save=False)
        completion.save()
        audit_record(actor=actor, action=AuditAction.CREATE, target=completion)
    return completion
