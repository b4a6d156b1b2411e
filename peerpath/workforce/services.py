"""Writes for the workforce module. Keyword-only arguments, one transaction, permission checks before any write,
explicit audit records."""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterable
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from peerpath.accounts.models import StaffMember
from peerpath.core.audit import audit_record
from peerpath.core.choices import AuditAction, Role
from peerpath.core.exceptions import NotAllowed, ServiceError
from peerpath.core.notifications import MESSAGE_KIND
from peerpath.core.notifications import notify as core_notify
from peerpath.core.validation import clean_text
from peerpath.workforce import selectors, survey
from peerpath.workforce.models import (
    BoundaryCategory,
    BoundaryConsultation,
    Course,
    CourseRequirement,
    CourseTopic,
    Credential,
    CredentialReminder,
    Notification,
    ReviewerGroup,
    RoleDefinition,
    RoleDefinitionComment,
    RoleDefinitionReview,
    RoleDefinitionStatus,
    SupervisionKind,
    SupervisionOverdueAlert,
    SupervisionSession,
    SupervisionTopic,
    SurveyReceipt,
    SurveyResponse,
    SurveyRound,
    TrainingCompletion,
)

ROLE_DEFINITION_AUTHORS = frozenset({Role.LEADER})
CATALOGUE_EDITORS = frozenset({Role.LEADER, Role.ADMIN})
TRAINING_RECORDERS = frozenset({Role.SUPERVISOR, Role.LEADER, Role.ADMIN})  # may record for others
CREDENTIAL_MANAGERS = frozenset({Role.SUPERVISOR, Role.LEADER, Role.ADMIN})
SUPERVISORS = frozenset({Role.SUPERVISOR, Role.LEADER})
SURVEY_MANAGERS = frozenset({Role.LEADER, Role.ADMIN})
THRESHOLDS = (90, 30, 7)
MAX_CERTIFICATE_BYTES = 5 * 1024 * 1024
CERTIFICATE_SIGNATURES = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
)

ROLE_TEMPLATE = {
    "purpose": "Offer mutual, recovery-oriented support drawing on lived experience of mental-health or substance-use "
               "challenges, and help the team keep a recovery focus.",
    "peer_functions": "Share lived experience purposefully; build hope; support people to set and pursue their own "
                      "recovery goals; connect people with community and natural supports; advocate alongside them.",
    "generic_duties": "Accompany to appointments; help with housing, benefits and practical tasks; attend team "
                      "meetings.",
    "not_the_role": "Not counselling or therapy; not diagnosis; not medication management; not acting as a case "
                    "manager.",
    "supervision_arrangement": "At least monthly individual supervision by a supervisor trained in the peer role, plus "
                               "group peer supervision.",
    "hours_and_flexibility": "Part-time or full-time; flexible hours agreed with the worker.",
    "pay_band": "Band 4",
    "record_access": "Read and write access to the records of people on the worker's caseload.",
    "disclosure_control": "The worker decides what, when and with whom to share their own history; it is never "
                          "disclosed by others.",
}
ROLE_TEXT_FIELDS = list(ROLE_TEMPLATE)


def _require(actor: Any, roles: Iterable[str], message: str = "") -> None:
    if not actor.is_active or actor.role not in set(roles):
        raise NotAllowed(message or _("Your role cannot do this."))


def _same_org(actor: Any, obj: Any) -> None:
    if obj.organisation_id != actor.organisation_id:
        raise NotAllowed


def _hours(value: Any, field: str) -> Decimal:
    try:
        hours = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise ServiceError(_("Enter a number of hours."), field=field) from None
    if not hours.is_finite() or hours < 0 or hours > 1000:
        raise ServiceError(_("Enter a number of hours between 0 and 1000."), field=field)
    return hours.quantize(Decimal("0.1"))


def notify(*, recipient: Any, message: str, link: str = "") -> Notification:
    # Transition: finished text goes through core's notify(); new code sends a declared kind.
    return core_notify(recipient=recipient, kind=MESSAGE_KIND, organisation_id=recipient.organisation_id,
                       params={"message": message}, link=link)


# ------------------------------------------------------------------ role definitions

def role_definition_create(*, actor: Any, title: str, team_type: str = "", **fields: Any) -> RoleDefinition:
    _require(actor, ROLE_DEFINITION_AUTHORS)
    title = clean_text(title, "title", max_length=200)
    values = {name: clean_text(fields.get(name, ROLE_TEMPLATE[name]), name, required=name != "generic_duties")
              for name in ROLE_TEXT_FIELDS}
    with transaction.atomic():
        latest = (RoleDefinition.objects.filter(organisation_id=actor.organisation_id, title=title)
                  .order_by("-version").first())
        definition = RoleDefinition.objects.create(
            organisation_id=actor.organisation_id, title=title, version=(latest.version + 1) if latest else 1,
            team_type=clean_text(team_type, "team_type", required=False, max_length=20), drafted_by=actor, **values)
        audit_record(actor=actor, action=AuditAction.CREATE, target=definition)
    return definition


def role_definition_new_version(*, actor: Any, definition: RoleDefinition) -> RoleDefinition:
    _require(actor, ROLE_DEFINITION_AUTHORS)
    _same_org(actor, definition)
    fields = {name: getattr(definition, name) for name in ROLE_TEXT_FIELDS}
    return role_definition_create(actor=actor, title=definition.title, team_type=definition.team_type, **fields)


def role_definition_update(*, actor: Any, definition: RoleDefinition, team_type: str = "",
                           **fields: Any) -> RoleDefinition:
    """Change the text of a draft (a version in consultation or active is frozen; start a new version)."""
    _require(actor, ROLE_DEFINITION_AUTHORS)
    _same_org(actor, definition)
    if definition.status != RoleDefinitionStatus.DRAFT:
        raise ServiceError(_("Only a draft can be changed; start a new version."), field="status")
    values = {name: clean_text(fields.get(name, getattr(definition, name)), name, required=name != "generic_duties")
              for name in ROLE_TEXT_FIELDS}
    with transaction.atomic():
        for name, value in values.items():
            setattr(definition, name, value)
        definition.team_type = clean_text(team_type, "team_type", required=False, max_length=20)
        definition.save()
        audit_record(actor=actor, action=AuditAction.UPDATE, target=definition)
    return definition


def role_definition_send(*, actor: Any, definition: RoleDefinition,
                         reviewers: dict[str, list[StaffMember]]) -> RoleDefinition:
    """Send a draft for consultation to named people in each of the three groups (all three are required)."""
    _require(actor, ROLE_DEFINITION_AUTHORS)
    _same_org(actor, definition)
    if definition.status != RoleDefinitionStatus.DRAFT:
        raise ServiceError(_("Only a draft can be sent for consultation."), field="status")
    for group in ReviewerGroup.values:
        people = reviewers.get(group) or []
        if not people:
            raise ServiceError(_("Name at least one person in each group."), field=group)
        for person in people:
            if person.organisation_id != actor.organisation_id or not person.is_active:
                raise ServiceError(_("Choose people from your organisation."), field=group)
        if group == ReviewerGroup.PEERS and any(p.role != Role.PEER for p in people):
            raise ServiceError(_("The peer group must be peer workers."), field=group)
    seen: set[int] = set()
    with transaction.atomic():
        for group in ReviewerGroup.values:
            for person in reviewers[group]:
                if person.pk in seen:
                    raise ServiceError(_("A person can be named in one group only."), field=group)
                seen.add(person.pk)
                RoleDefinitionReview.objects.create(definition=definition, reviewer=person, group=group)
                notify(recipient=person, message=_("Your review is asked for: %(t)s") % {"t": str(definition)},
                       link=f"/workforce/roles/{definition.pk}/")
        definition.status = RoleDefinitionStatus.CONSULTATION
        definition.save(update_fields=["status", "updated_at"])
        audit_record(actor=actor, action=AuditAction.UPDATE, target=definition, detail={"status": "consultation"})
    return definition


def role_definition_comment(*, actor: Any, definition: RoleDefinition, body: str) -> RoleDefinitionComment:
    _same_org(actor, definition)
    if not selectors.can_review(actor, definition) and actor.role not in ROLE_DEFINITION_AUTHORS:
        raise NotAllowed(_("Only the people consulted can comment."))
    body = clean_text(body, "body", max_length=5000)
    with transaction.atomic():
        comment = RoleDefinitionComment.objects.create(definition=definition, author=actor, body=body)
        audit_record(actor=actor, action=AuditAction.CREATE, target=comment)
    return comment


def role_definition_approve(*, actor: Any, definition: RoleDefinition) -> RoleDefinition:
    _same_org(actor, definition)
    review = RoleDefinitionReview.objects.filter(definition=definition, reviewer=actor, is_active=True).first()
    if review is None:
        raise NotAllowed(_("Only the people consulted can approve."))
    if definition.status != RoleDefinitionStatus.CONSULTATION:
        raise ServiceError(_("This version is not in consultation."), field="status")
    if review.approved_at:
        raise ServiceError(_("You have already approved this version."), field="status")
    with transaction.atomic():
        now = timezone.now()
        review.approved_at = now
        review.save(update_fields=["approved_at", "updated_at"])
        audit_record(actor=actor, action=AuditAction.UPDATE, target=definition, detail={"approved": True})
        if not definition.reviews.filter(is_active=True, approved_at__isnull=True).exists():
            (RoleDefinition.objects.filter(organisation_id=definition.organisation_id, title=definition.title,
                                           status=RoleDefinitionStatus.ACTIVE)
             .update(status=RoleDefinitionStatus.SUPERSEDED, updated_at=now))
            definition.status = RoleDefinitionStatus.ACTIVE
            definition.activated_at = now
            definition.save(update_fields=["status", "activated_at", "updated_at"])
            audit_record(actor=actor, action=AuditAction.UPDATE, target=definition, detail={"status": "active"})
    return definition


# ------------------------------------------------------------------ training

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


# ------------------------------------------------------------------ credentials

def credential_create(*, actor: Any, staff: StaffMember, name: str, issuer: str, number: str = "",
                      issued_on: date, expires_on: date, ce_hours_required: Any = 0,
                      ce_hours_earned: Any = 0) -> Credential:
    if staff.pk != actor.pk:
        _require(actor, CREDENTIAL_MANAGERS, _("You can record only your own credentials."))
    if staff.organisation_id != actor.organisation_id:
        raise NotAllowed
    name = clean_text(name, "name", max_length=200)
    issuer = clean_text(issuer, "issuer", max_length=200)
    number = clean_text(number, "number", required=False, max_length=100)
    if not isinstance(issued_on, date):
        raise ServiceError(_("Enter a date."), field="issued_on")
    if not isinstance(expires_on, date):
        raise ServiceError(_("Enter a date."), field="expires_on")
    if expires_on <= issued_on:
        raise ServiceError(_("The expiry date must be after the issue date."), field="expires_on")
    with transaction.atomic():
        credential = Credential.objects.create(
            organisation_id=actor.organisation_id, staff=staff, name=name, issuer=issuer, number=number,
            issued_on=issued_on, expires_on=expires_on, ce_hours_required=_hours(ce_hours_required, "ce_hours_required"),
            ce_hours_earned=_hours(ce_hours_earned, "ce_hours_earned"))
        audit_record(actor=actor, action=AuditAction.CREATE, target=credential)
    return credential


def _threshold_bands(today: date) -> list[tuple[int, date, date]]:
    """(threshold, first expiry date, last expiry date): a credential is reminded at the tightest threshold reached."""
    bands = []
    lower = today  # expiry strictly after today
    for threshold in sorted(THRESHOLDS):
        upper = today + timedelta(days=threshold)
        bands.append((threshold, lower + timedelta(days=1), upper))
        lower = upper
    return bands


def scan_credential_reminders(*, today: date | None = None, chunk_size: int = 2000, email: bool = True) -> int:
    """Send the due reminders (90/30/7 days before expiry) in the app and by email. Streams the candidates by
    keyset pagination; the unique (credential, expiry, threshold) row makes a second send impossible.
    Returns the number of reminders sent."""
    today = today or timezone.localdate()
    sent = 0
    for threshold, first, last in _threshold_bands(today):
        already = CredentialReminder.objects.filter(credential_id=OuterRef("pk"), expires_on=OuterRef("expires_on"),
                                                    threshold_days__lte=threshold)
        base = (Credential.objects.filter(is_active=True, staff__is_active=True, expires_on__gte=first,
                                          expires_on__lte=last)
                .exclude(Exists(already)).order_by("pk"))
        last_pk = 0
        while True:
            rows = list(base.filter(pk__gt=last_pk).values_list("pk", "organisation_id", "staff_id", "name",
                                                                "expires_on", "staff__email", "staff__language")
                        [:chunk_size])
            if not rows:
                break
            last_pk = rows[-1][0]
            sent += _send_reminder_chunk(rows, threshold)
    if email:
        _send_pending_emails()
    return sent


def _reminder_text(name: str, expires_on: date, threshold: int) -> str:
    return _("Your credential “%(name)s” expires on %(date)s (in %(days)s days or less). Plan the renewal.") % {
        "name": name, "date": expires_on.isoformat(), "days": threshold}


def _send_reminder_chunk(rows: list[tuple], threshold: int) -> int:
    try:
        with transaction.atomic():
            CredentialReminder.objects.bulk_create(
                [CredentialReminder(credential_id=pk, threshold_days=threshold, expires_on=expires_on)
                 for pk, _org, _staff, _name, expires_on, _email, _lang in rows])
            Notification.objects.bulk_create(
                [Notification(organisation_id=org, recipient_id=staff, message=_reminder_text(name, expires_on, threshold),
                              link="/workforce/credentials/")
                 for _pk, org, staff, name, expires_on, _email, _lang in rows])
        return len(rows)
    except IntegrityError:
        # Another scan raced us on some rows: fall back to one at a time; the constraint decides.
        count = 0
        for row in rows:
            pk, org, staff, name, expires_on, _email, _lang = row
            try:
                with transaction.atomic():
                    CredentialReminder.objects.create(credential_id=pk, threshold_days=threshold, expires_on=expires_on)
                    Notification.objects.create(organisation_id=org, recipient_id=staff,
                                                message=_reminder_text(name, expires_on, threshold),
                                                link="/workforce/credentials/")
                count += 1
            except IntegrityError:
                continue
        return count


def _send_pending_emails(chunk_size: int = 500) -> int:
    """Email the reminders not yet emailed (after the in-app reminder is committed). A failed send leaves the
    flag unset, so the next scan (or the task's retry) sends it again."""
    sent = 0
    last_pk = 0
    while True:
        batch = list(CredentialReminder.objects.filter(emailed=False, pk__gt=last_pk)
                     .select_related("credential", "credential__staff").order_by("pk")[:chunk_size])
        if not batch:
            return sent
        last_pk = batch[-1].pk
        messages = []
        ids = []
        for reminder in batch:
            staff = reminder.credential.staff
            ids.append(reminder.pk)
            if staff.email:
                messages.append(EmailMessage(
                    subject=_("Credential renewal reminder"),
                    body=_reminder_text(reminder.credential.name, reminder.expires_on, reminder.threshold_days),
                    from_email=settings.DEFAULT_FROM_EMAIL, to=[staff.email]))
        if messages:
            get_connection().send_messages(messages)
        CredentialReminder.objects.filter(pk__in=ids).update(emailed=True)
        sent += len(messages)


# ------------------------------------------------------------------ supervision

def supervision_record(*, actor: Any, kind: str, held_on: date, attendees: list[StaffMember],
                       topics: list[str], notes: str = "", action_items: str = "") -> SupervisionSession:
    _require(actor, SUPERVISORS | {Role.PEER} if kind == SupervisionKind.PEER else SUPERVISORS,
             _("Only supervisors record supervision."))
    if kind not in SupervisionKind.values:
        raise ServiceError(_("Choose a kind of session."), field="kind")
    if not isinstance(held_on, date):
        raise ServiceError(_("Enter a date."), field="held_on")
    if held_on > timezone.localdate():
        raise ServiceError(_("The session date cannot be in the future."), field="held_on")
    attendees = [a for a in attendees if a.pk != actor.pk]
    if not attendees:
        raise ServiceError(_("Choose at least one attendee."), field="attendees")
    if any(a.organisation_id != actor.organisation_id or not a.is_active for a in attendees):
        raise ServiceError(_("Choose attendees from your organisation."), field="attendees")
    if kind == SupervisionKind.INDIVIDUAL and len(attendees) != 1:
        raise ServiceError(_("An individual session has one attendee."), field="attendees")
    bad = [t for t in topics if t not in SupervisionTopic.values]
    if bad or len(set(topics)) != len(topics):
        raise ServiceError(_("Choose topics from the list."), field="topics")
    with transaction.atomic():
        session = SupervisionSession.objects.create(
            organisation_id=actor.organisation_id, kind=kind, held_on=held_on, led_by=actor, topics=list(topics),
            notes=clean_text(notes, "notes", required=False), action_items=clean_text(action_items, "action_items", required=False))
        session.attendees.set(attendees)
        audit_record(actor=actor, action=AuditAction.CREATE, target=session)
    return session


def scan_supervision_overdue(*, today: date | None = None, email: bool = True) -> int:
    """Alert each overdue peer's supervisors once per due date (in the app and by email)."""
    today = today or timezone.localdate()
    sent = 0
    for organisation_id in (StaffMember.objects.filter(role=Role.PEER, is_active=True)
                            .values_list("organisation_id", flat=True).distinct()):
        for row in selectors.supervision_status_for_org(organisation_id, today=today):
            if not row.overdue:
                continue
            try:
                with transaction.atomic():
                    SupervisionOverdueAlert.objects.create(peer=row.peer, due_on=row.due_on)
                    recipients = list(selectors.supervisors_of(row.peer))
                    text = _("Supervision for %(peer)s was due on %(date)s.") % {
                        "peer": row.peer.get_full_name() or row.peer.username, "date": row.due_on.isoformat()}
                    for supervisor in recipients:
                        notify(recipient=supervisor, message=text, link="/workforce/supervision/")
            except IntegrityError:
                continue
            emails = [s.email for s in recipients if s.email]
            if emails and email:
                EmailMessage(subject=_("Supervision overdue"), body=text, from_email=settings.DEFAULT_FROM_EMAIL,
                             to=emails).send()
            sent += 1
    return sent


# ------------------------------------------------------------------ boundary consultations

def boundary_raise(*, actor: Any, category: str, question: str) -> BoundaryConsultation:
    _require(actor, {Role.PEER}, _("Boundary consultations are raised by peer workers."))
    if category not in BoundaryCategory.values:
        raise ServiceError(_("Choose a category."), field="category")
    question = clean_text(question, "question", max_length=5000)
    with transaction.atomic():
        consultation = BoundaryConsultation.objects.create(organisation_id=actor.organisation_id, raised_by=actor,
                                                           category=category, question=question)
        for supervisor in selectors.supervisors_of(actor):
            notify(recipient=supervisor, message=_("A peer asked for a boundary consultation."),
                   link=f"/workforce/boundaries/{consultation.pk}/")
        audit_record(actor=actor, action=AuditAction.CREATE, target=consultation)
    return consultation


def boundary_respond(*, actor: Any, consultation: BoundaryConsultation, response: str,
                     close: bool = True) -> BoundaryConsultation:
    if not selectors.is_supervisor_of(actor, consultation.raised_by):
        raise NotAllowed(_("Only the peer's supervisor can respond."))
    if consultation.closed_at:
        raise ServiceError(_("This consultation is closed."), field="response")
    response = clean_text(response, "response", max_length=5000)
    with transaction.atomic():
        consultation.response = response
        consultation.responded_by = actor
        if close:
            consultation.closed_at = timezone.now()
        consultation.save(update_fields=["response", "responded_by", "closed_at", "updated_at"])
        notify(recipient=consultation.raised_by, message=_("Your supervisor responded to your boundary question."),
               link=f"/workforce/boundaries/{consultation.pk}/")
        audit_record(actor=actor, action=AuditAction.UPDATE, target=consultation)
    return consultation


# ------------------------------------------------------------------ surveys

def survey_round_create(*, actor: Any, title: str, opens_on: date, closes_on: date) -> SurveyRound:
    _require(actor, SURVEY_MANAGERS)
    title = clean_text(title, "title", max_length=200)
    if not isinstance(opens_on, date) or not isinstance(closes_on, date):
        raise ServiceError(_("Enter a date."), field="opens_on")
    if closes_on < opens_on:
        raise ServiceError(_("The closing date must not be before the opening date."), field="closes_on")
    with transaction.atomic():
        survey_round = SurveyRound.objects.create(organisation_id=actor.organisation_id, title=title,
                                                  opens_on=opens_on, closes_on=closes_on)
        audit_record(actor=actor, action=AuditAction.CREATE, target=survey_round)
    return survey_round


def clean_answers(answers: dict[str, Any]) -> dict[str, int | bool]:
    if not isinstance(answers, dict):
        raise ServiceError(_("Answer the questions."), field="answers")
    unknown = set(answers) - set(survey.ALL_KEYS)
    if unknown:
        raise ServiceError(_("Unknown question: %(k)s") % {"k": sorted(unknown)[0]}, field="answers")
    cleaned: dict[str, int | bool] = {}
    for key in survey.AGREEMENT_KEYS:
        value = answers.get(key)
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
            raise ServiceError(_("Answer every statement from 1 to 5."), field=key)
        cleaned[key] = value
    for key in survey.YES_NO_KEYS:
        value = answers.get(key, False)
        if not isinstance(value, bool):
            raise ServiceError(_("Answer yes or no."), field=key)
        cleaned[key] = value
    return cleaned


def survey_submit(*, actor: Any, survey_round: SurveyRound, answers: dict[str, Any]) -> None:
    """Store the answers with no link to the person: a random key, the round and the team only.
    A separate receipt records *that* the person answered. Nothing is audited with the response's id."""
    _require(actor, {Role.PEER}, _("The pulse survey is for peer workers."))
    _same_org(actor, survey_round)
    today = timezone.localdate()
    if not survey_round.is_active or not survey_round.opens_on <= today <= survey_round.closes_on:
        raise ServiceError(_("This survey is not open."), field="survey_round")
    cleaned = clean_answers(answers)
    team = actor.teams.filter(is_active=True).order_by("name").first()
    with transaction.atomic():
        # One submission of a round at a time: _reshuffle_responses reads, deletes and re-inserts every
        # response, so two at once would each re-insert the rows the other could not yet see (duplicates).
        SurveyRound.objects.select_for_update().filter(pk=survey_round.pk).values_list("pk").first()
        try:
            with transaction.atomic():
                SurveyReceipt.objects.create(survey_round=survey_round, staff=actor)
        except IntegrityError:
            raise ServiceError(_("You have already answered this survey."), field="survey_round") from None
        SurveyResponse.objects.create(id=uuid.uuid4(), survey_round=survey_round, team=team, answers=cleaned)
        _reshuffle_responses(survey_round)
        audit_record(actor=actor, action=AuditAction.CREATE, target_type="workforce.surveyreceipt",
                     target_id=str(survey_round.pk))


def _reshuffle_responses(survey_round: SurveyRound) -> None:
    """Re-write every response of the round in random order with fresh random keys, in the submitting
    transaction (which holds the round's row lock, see ``survey_submit``). Storage order (SQLite rowid, PostgreSQL physical order and transaction ids) then says nothing
    about who answered when: all responses of the round share the latest transaction and a random order.
    The rows are anonymous copies, so replacing them is not a deletion of anyone's record."""
    rows = list(SurveyResponse.objects.filter(survey_round=survey_round).values_list("team_id", "answers"))
    random.SystemRandom().shuffle(rows)
    SurveyResponse.objects.filter(survey_round=survey_round).delete()
    SurveyResponse.objects.bulk_create([SurveyResponse(id=uuid.uuid4(), survey_round=survey_round, team_id=team_id,
                                                       answers=answers) for team_id, answers in rows])
