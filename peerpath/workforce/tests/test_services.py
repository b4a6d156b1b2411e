from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError

from peerpath.accounts.tests.factories import StaffFactory
from peerpath.core.exceptions import NotAllowed, ServiceError
from peerpath.core.models import AuditEvent
from peerpath.workforce import tasks
from peerpath.workforce.boundaries import selectors as boundaries_selectors
from peerpath.workforce.boundaries import services as boundaries_services
from peerpath.workforce.credentials import selectors as credentials_selectors
from peerpath.workforce.credentials import services as credentials_services
from peerpath.workforce.models import (
    CredentialReminder,
    EmploymentTerms,
    Notification,
    RoleDefinition,
    SupervisionOverdueAlert,
    TrainingCompletion,
)
from peerpath.workforce.roles import selectors as roles_selectors
from peerpath.workforce.roles import services as roles_services
from peerpath.workforce.supervision import selectors as supervision_selectors
from peerpath.workforce.supervision import services as supervision_services
from peerpath.workforce.tests.factories import (
    BoundaryFactory,
    CourseFactory,
    CredentialFactory,
    SupervisionSessionFactory,
    today,
)
from peerpath.workforce.training import selectors as training_selectors
from peerpath.workforce.training import services as training_services

pytestmark = pytest.mark.django_db


# ------------------------------------------------------------------ role definitions

def _reviewers(w):
    return {"peers": [w.a.users["peer"]], "team_leaders": [w.a.users["supervisor"]], "staff": [w.a.users["clinician"]]}


def test_role_definition_is_active_only_when_every_group_approved(world):
    leader = world.a.users["leader"]
    draft = roles_services.role_definition_create(actor=leader, title="Peer support worker")
    assert draft.version == 1 and draft.status == "draft"
    assert "counselling" in draft.not_the_role
    roles_services.role_definition_send(actor=leader, definition=draft, reviewers=_reviewers(world))
    roles_services.role_definition_approve(actor=world.a.users["peer"], definition=draft)
    roles_services.role_definition_approve(actor=world.a.users["supervisor"], definition=draft)
    draft.refresh_from_db()
    assert draft.status == "consultation"
    roles_services.role_definition_approve(actor=world.a.users["clinician"], definition=draft)
    draft.refresh_from_db()
    assert draft.status == "active" and draft.activated_at is not None
    assert Notification.objects.filter(recipient=world.a.users["peer"], message__contains="review").exists()


def test_new_version_supersedes_the_active_one_and_can_be_compared(world):
    leader = world.a.users["leader"]
    first = roles_services.role_definition_create(actor=leader, title="Peer role")
    roles_services.role_definition_send(actor=leader, definition=first, reviewers=_reviewers(world))
    for role in ("peer", "supervisor", "clinician"):
        roles_services.role_definition_approve(actor=world.a.users[role], definition=first)
    second = roles_services.role_definition_new_version(actor=leader, definition=first)
    assert second.version == 2 and second.status == "draft"
    second.pay_band = "Band 5"
    second.save()
    rows = {str(r["label"]): r for r in roles_selectors.compare(first, second)}
    assert rows["pay band"]["changed"] and rows["pay band"]["a"] == "Band 4" and rows["pay band"]["b"] == "Band 5"
    assert not rows["purpose"]["changed"]
    roles_services.role_definition_send(actor=leader, definition=second, reviewers=_reviewers(world))
    for role in ("peer", "supervisor", "clinician"):
        roles_services.role_definition_approve(actor=world.a.users[role], definition=second)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == ("superseded", "active")


def test_sending_needs_every_group_and_approval_needs_to_be_named(world):
    leader = world.a.users["leader"]
    draft = roles_services.role_definition_create(actor=leader, title="Peer role")
    with pytest.raises(ServiceError) as err:
        roles_services.role_definition_send(actor=leader, definition=draft,
                                      reviewers={"peers": [world.a.users["peer"]], "team_leaders": [], "staff": []})
    assert err.value.field == "team_leaders"
    with pytest.raises(ServiceError):  # the peer group must be peers
        roles_services.role_definition_send(actor=leader, definition=draft, reviewers={**_reviewers(world),
                                                                                 "peers": [world.a.users["admin"]]})
    with pytest.raises(ServiceError):  # other organisation
        roles_services.role_definition_send(actor=leader, definition=draft, reviewers={**_reviewers(world),
                                                                                 "staff": [world.b.users["clinician"]]})
    draft.refresh_from_db()
    assert draft.status == "draft" and not draft.reviews.exists()
    roles_services.role_definition_send(actor=leader, definition=draft, reviewers=_reviewers(world))
    with pytest.raises(NotAllowed):
        roles_services.role_definition_approve(actor=world.a.users["admin"], definition=draft)
    with pytest.raises(NotAllowed):
        roles_services.role_definition_create(actor=world.a.users["peer"], title="Mine")
    assert RoleDefinition.objects.filter(title="Mine").count() == 0


# ------------------------------------------------------------------ training

PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def test_certificate_must_be_pdf_or_image_by_content_and_at_most_5_mb(world):
    peer = world.a.users["peer"]
    course = CourseFactory(organisation=world.a.organisation)
    fake = SimpleUploadedFile("cert.pdf", b"MZ\x90\x00 this is an exe", content_type="application/pdf")
    with pytest.raises(ServiceError) as err:
        training_services.completion_record(actor=peer, staff=peer, course=course, completed_on=today(), certificate=fake)
    assert err.value.field == "certificate" and "PDF, PNG or JPEG" in err.value.reason
    big = SimpleUploadedFile("cert.pdf", b"%PDF-" + b"0" * (5 * 1024 * 1024), content_type="application/pdf")
    with pytest.raises(ServiceError) as err:
        training_services.completion_record(actor=peer, staff=peer, course=course, completed_on=today(), certificate=big)
    assert "5 MB" in err.value.reason
    assert TrainingCompletion.objects.count() == 0
    ok = training_services.completion_record(actor=peer, staff=peer, course=course, completed_on=today(),
                                    certificate=SimpleUploadedFile("scan.png", PNG))
    assert ok.certificate_type == "image/png" and ok.certificate.name.endswith(".png")
    assert ok.hours == Decimal("6.0")


def test_completion_dates_and_permissions(world):
    peer = world.a.users["peer"]
    course = CourseFactory(organisation=world.a.organisation)
    with pytest.raises(ServiceError):
        training_services.completion_record(actor=peer, staff=peer, course=course, completed_on=today() + timedelta(days=1))
    with pytest.raises(NotAllowed):
        training_services.completion_record(actor=peer, staff=world.a.users["clinician"], course=course, completed_on=today())
    assert TrainingCompletion.objects.count() == 0
    training_services.completion_record(actor=world.a.users["supervisor"], staff=world.a.users["supervisor"], course=course,
                               completed_on=today())  # supervisors record their own training
    assert TrainingCompletion.objects.filter(staff=world.a.users["supervisor"]).count() == 1


def test_coverage_shows_missing_courses_for_peers_and_non_peer_staff(world):
    leader = world.a.users["leader"]
    peer_course = training_services.course_create(actor=leader, title="Boundaries", topic="boundaries", hours="6")
    staff_course = training_services.course_create(actor=leader, title="What peer support is and is not",
                                          topic="for_staff", hours="2")
    training_services.course_require(actor=leader, course=peer_course, role="peer")
    training_services.course_require(actor=leader, course=staff_course, role="clinician", team=world.a.team)
    training_services.completion_record(actor=world.a.users["peer"], staff=world.a.users["peer"], course=peer_course,
                               completed_on=today())
    rows = {r.staff.username: r for r in training_selectors.coverage(leader)}
    assert [c.title for c in rows["peer-a"].required] == ["Boundaries"] and rows["peer-a"].missing == []
    assert [c.title for c in rows["clinician-a"].missing] == ["What peer support is and is not"]
    assert "peer-b" not in rows
    # a supervisor sees their team only; a peer cannot edit the catalogue
    with pytest.raises(NotAllowed):
        training_services.course_create(actor=world.a.users["peer"], title="x", topic="boundaries", hours=1)


# ------------------------------------------------------------------ credentials and reminders

def test_credential_dates_in_wrong_order_are_refused(world):
    peer = world.a.users["peer"]
    with pytest.raises(ServiceError) as err:
        credentials_services.credential_create(actor=peer, staff=peer, name="CPS", issuer="Board", issued_on=today(),
                                   expires_on=today() - timedelta(days=1))
    assert err.value.field == "expires_on"
    with pytest.raises(NotAllowed):
        credentials_services.credential_create(actor=peer, staff=world.a.users["clinician"], name="CPS", issuer="Board",
                                   issued_on=today() - timedelta(days=5), expires_on=today() + timedelta(days=5))
    assert not peer.credentials.exists()


def test_reminders_at_90_30_7_days_in_app_and_by_email_once_only(world):
    peer = world.a.users["peer"]
    peer.email = "peer-a@example.org"
    peer.save()
    start = today()
    credential = CredentialFactory(staff=peer, expires_on=start + timedelta(days=100))
    assert credentials_services.scan_credential_reminders(today=start) == 0
    sent_days = []
    for offset in range(0, 100):
        day = start + timedelta(days=offset)
        if credentials_services.scan_credential_reminders(today=day):
            sent_days.append((credential.expires_on - day).days)
        credentials_services.scan_credential_reminders(today=day)  # a second run the same day sends nothing
    assert sent_days == [90, 30, 7]
    assert sorted(CredentialReminder.objects.values_list("threshold_days", flat=True)) == [7, 30, 90]
    assert Notification.objects.filter(recipient=peer, message__contains="expires").count() == 3
    assert len(mail.outbox) == 3 and mail.outbox[0].to == ["peer-a@example.org"]
    assert CredentialReminder.objects.filter(emailed=False).count() == 0


def test_credential_found_late_gets_only_the_tightest_reminder(world):
    CredentialFactory(staff=world.a.users["peer"], expires_on=today() + timedelta(days=20))
    assert credentials_services.scan_credential_reminders(today=today()) == 1
    assert list(CredentialReminder.objects.values_list("threshold_days", flat=True)) == [30]
    assert credentials_services.scan_credential_reminders(today=today() + timedelta(days=1)) == 0


def test_the_database_refuses_a_duplicate_reminder(world):
    credential = CredentialFactory(staff=world.a.users["peer"])
    CredentialReminder.objects.create(credential=credential, threshold_days=30, expires_on=credential.expires_on)
    with pytest.raises(IntegrityError):
        CredentialReminder.objects.create(credential=credential, threshold_days=30, expires_on=credential.expires_on)


def test_renewal_starts_a_new_reminder_cycle_and_lapsed_flag(world):
    peer = world.a.users["peer"]
    old = CredentialFactory(staff=peer, expires_on=today() - timedelta(days=3))
    assert credentials_selectors.credential_lapsed_for(peer) is True
    assert credentials_selectors.credential_lapsed_for(world.a.users["clinician"]) is False  # nothing recorded
    CredentialFactory(staff=peer, name=old.name, issued_on=today() - timedelta(days=2),
                      expires_on=today() + timedelta(days=700))
    assert credentials_selectors.credential_lapsed_for(peer) is False


def test_failed_email_is_retried_on_the_next_scan(world, monkeypatch):
    peer = world.a.users["peer"]
    peer.email = "p@example.org"
    peer.save()
    CredentialFactory(staff=peer, expires_on=today() + timedelta(days=5))

    def boom(self, messages):
        raise OSError("mail server down")

    from django.core.mail.backends.locmem import EmailBackend
    monkeypatch.setattr(EmailBackend, "send_messages", boom)
    with pytest.raises(OSError):
        credentials_services.scan_credential_reminders(today=today())
    assert CredentialReminder.objects.get().emailed is False
    monkeypatch.undo()
    assert credentials_services.scan_credential_reminders(today=today()) == 0  # in-app reminder is not sent again
    assert len(mail.outbox) == 1 and CredentialReminder.objects.get().emailed is True


def test_tasks_and_schedules(world):
    from django_q.models import Schedule
    from django_q.tasks import async_task

    CredentialFactory(staff=world.a.users["peer"], expires_on=today() + timedelta(days=6))
    tasks.ensure_schedules()
    tasks.ensure_schedules()
    assert Schedule.objects.filter(func=tasks.CREDENTIAL_TASK).count() == 1
    assert Schedule.objects.filter(func=tasks.SUPERVISION_TASK).count() == 1
    async_task(tasks.CREDENTIAL_TASK, sync=True)  # through django-q2, run inline
    assert CredentialReminder.objects.count() == 1
    async_task(tasks.CREDENTIAL_TASK, sync=True)
    assert CredentialReminder.objects.count() == 1


# ------------------------------------------------------------------ supervision

def test_overdue_supervision_alerts_the_supervisor_once(world):
    peer, supervisor = world.a.users["peer"], world.a.users["supervisor"]
    supervisor.email = "sup@example.org"
    supervisor.save()
    for w in (world.a, world.b):
        for user in w.users.values():
            user.date_joined = user.date_joined - timedelta(days=400)
            user.save()
    SupervisionSessionFactory(led_by=supervisor, held_on=today() - timedelta(days=45), attendees=[peer])
    row = next(r for r in supervision_selectors.supervision_status_for(supervisor) if r.peer == peer)
    assert row.overdue and row.due_on == today() - timedelta(days=14)
    assert supervision_services.scan_supervision_overdue(today=today()) == 2  # peer-a and peer-b
    assert supervision_services.scan_supervision_overdue(today=today()) == 0
    assert SupervisionOverdueAlert.objects.filter(peer=peer).count() == 1
    assert Notification.objects.filter(recipient=supervisor, message__contains="was due").count() == 1
    assert any(m.to == ["sup@example.org"] for m in mail.outbox)
    supervision_services.supervision_record(actor=supervisor, kind="individual", held_on=today(), attendees=[peer],
                                topics=["boundaries", "role_drift"], notes="Talked about drift to case management.")
    row = next(r for r in supervision_selectors.supervision_status_for(supervisor) if r.peer == peer)
    assert not row.overdue and row.last_session == today()


def test_supervision_input_is_checked(world):
    supervisor = world.a.users["supervisor"]
    with pytest.raises(ServiceError):
        supervision_services.supervision_record(actor=supervisor, kind="individual", held_on=today(),
                                    attendees=[world.a.users["peer"], world.a.users["clinician"]], topics=[])
    with pytest.raises(ServiceError):
        supervision_services.supervision_record(actor=supervisor, kind="group", held_on=today(),
                                    attendees=[world.b.users["peer"]], topics=[])
    with pytest.raises(ServiceError):
        supervision_services.supervision_record(actor=supervisor, kind="group", held_on=today(),
                                    attendees=[world.a.users["peer"]], topics=["gossip"])
    with pytest.raises(NotAllowed):
        supervision_services.supervision_record(actor=world.a.users["clinician"], kind="group", held_on=today(),
                                    attendees=[world.a.users["peer"]], topics=[])


# ------------------------------------------------------------------ boundaries

def test_boundary_consultation_is_seen_only_by_the_peer_and_their_supervisor(world):
    peer = world.a.users["peer"]
    consultation = boundaries_services.boundary_raise(actor=peer, category="gift", question="A client gave me a scarf.")
    other_supervisor = StaffFactory(organisation=world.a.organisation, role="supervisor", teams=[world.a.other_team])
    other_peer = StaffFactory(organisation=world.a.organisation, role="peer", teams=[world.a.team])
    assert list(boundaries_selectors.boundaries_for(peer)) == [consultation]
    assert list(boundaries_selectors.boundaries_for(world.a.users["supervisor"])) == [consultation]
    for user in (other_supervisor, other_peer, world.a.users["leader"], world.a.users["admin"],
                 world.a.users["clinician"], world.b.users["supervisor"]):
        assert list(boundaries_selectors.boundaries_for(user)) == []
    with pytest.raises(NotAllowed):
        boundaries_services.boundary_respond(actor=other_supervisor, consultation=consultation, response="no")
    with pytest.raises(NotAllowed):
        boundaries_services.boundary_respond(actor=world.a.users["leader"], consultation=consultation, response="no")
    boundaries_services.boundary_respond(actor=world.a.users["supervisor"], consultation=consultation,
                              response="A small gift can be accepted; tell the team.")
    consultation.refresh_from_db()
    assert consultation.closed_at and consultation.responded_by == world.a.users["supervisor"]
    with pytest.raises(ServiceError):
        boundaries_services.boundary_respond(actor=world.a.users["supervisor"], consultation=consultation, response="again")
    assert Notification.objects.filter(recipient=peer, message__contains="responded").count() == 1
    with pytest.raises(NotAllowed):
        boundaries_services.boundary_raise(actor=world.a.users["leader"], category="gift", question="?")


def test_boundary_trend_hides_cells_under_five(world):
    peer = world.a.users["peer"]
    for _ in range(5):
        BoundaryFactory(raised_by=peer, category="gift")
    for _ in range(2):
        BoundaryFactory(raised_by=peer, category="outside_contact")
    trend = boundaries_selectors.boundary_trend(world.a.organisation.pk)
    cells = {c["category"]: c["count"] for c in trend["rows"][0]["cells"]}
    assert cells["gift"] == 5 and cells["outside_contact"] is None and cells["violation"] is None
    assert boundaries_selectors.boundary_trend(world.b.organisation.pk)["rows"] == []


# ------------------------------------------------------------------ pay equity

def test_pay_equity_compares_peer_pay_with_other_roles_of_similar_hours(world):
    org = world.a.organisation
    for i in range(5):
        EmploymentTerms.objects.create(staff=StaffFactory(organisation=org, role="peer"),
                                       hourly_pay=Decimal("20.00") + i, weekly_hours=Decimal("37.5"))
        EmploymentTerms.objects.create(staff=StaffFactory(organisation=org, role="clinician"),
                                       hourly_pay=Decimal("30.00") + i, weekly_hours=Decimal("36"))
    EmploymentTerms.objects.create(staff=StaffFactory(organisation=org, role="peer"), hourly_pay=Decimal("19"),
                                   weekly_hours=Decimal("16"))
    rows = {r["band"]: r for r in roles_selectors.pay_equity(org.pk)}
    assert rows["35+"]["peer_median"] == Decimal("22.00") and rows["35+"]["other_median"] == Decimal("32.00")
    assert rows["35+"]["ratio"] == Decimal("69")
    assert rows["< 20"]["peer_n"] == 1 and rows["< 20"]["peer_median"] is None  # hidden under five
    assert roles_selectors.pay_equity(world.b.organisation.pk) == []


def test_services_write_audit_events(world):
    before = AuditEvent.objects.count()
    boundaries_services.boundary_raise(actor=world.a.users["peer"], category="crossing", question="Met a client at the shop.")
    assert AuditEvent.objects.count() == before + 1
