from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from peerpath.workforce.models import (
    BoundaryConsultation,
    Credential,
    RoleDefinition,
    SurveyReceipt,
    SurveyResponse,
    TrainingCompletion,
)
from peerpath.workforce.tests.factories import (
    BoundaryFactory,
    CourseFactory,
    CredentialFactory,
    RoleDefinitionFactory,
    SurveyRoundFactory,
    today,
)

pytestmark = pytest.mark.django_db


def test_profile_flags_a_lapsed_credential(world, login):
    peer = world.a.users["peer"]
    CredentialFactory(staff=peer, expires_on=today() - timedelta(days=2), issued_on=today() - timedelta(days=700))
    page = login(world.a.users["supervisor"]).get(reverse("workforce:profile", args=[peer.pk]))
    assert page.status_code == 200 and "Credential lapsed" in page.content.decode()
    other = login(world.a.users["supervisor"]).get(reverse("workforce:profile", args=[world.a.users["clinician"].pk]))
    assert "Credentials current" in other.content.decode()
    assert login(world.a.users["clinician"]).get(reverse("workforce:profile", args=[peer.pk])).status_code == 404


def test_role_definition_journey_through_the_pages(world, login):
    leader = login(world.a.users["leader"])
    data = {"title": "Peer worker", "team_type": "act", "purpose": "Hope.", "peer_functions": "Share experience.",
            "generic_duties": "", "not_the_role": "Not counselling, diagnosis, medication or case management.",
            "supervision_arrangement": "Monthly.", "hours_and_flexibility": "Flexible.", "pay_band": "Band 4",
            "record_access": "Caseload only.", "disclosure_control": "The worker decides."}
    response = leader.post(reverse("workforce:role_create"), data)
    definition = RoleDefinition.objects.get(title="Peer worker")
    assert response.status_code == 302 and definition.status == "draft"
    edited = leader.post(reverse("workforce:role_edit", args=[definition.pk]), {**data, "pay_band": "Band 4A"})
    definition.refresh_from_db()
    assert edited.status_code == 302 and definition.pay_band == "Band 4A"
    RoleDefinition.objects.filter(pk=definition.pk).update(pay_band="Band 4")
    response = leader.post(reverse("workforce:role_send", args=[definition.pk]),
                           {"peers": [world.a.users["peer"].pk], "team_leaders": [world.a.users["supervisor"].pk],
                            "staff": [world.a.users["clinician"].pk]})
    definition.refresh_from_db()
    assert definition.status == "consultation"
    page = login(world.a.users["peer"]).get(reverse("workforce:role_detail", args=[definition.pk])).content.decode()
    assert "Approve this version" in page and "Awaiting" in page
    for role in ("peer", "supervisor", "clinician"):
        login(world.a.users[role]).post(reverse("workforce:role_approve", args=[definition.pk]))
    definition.refresh_from_db()
    assert definition.status == "active"
    frozen = leader.post(reverse("workforce:role_edit", args=[definition.pk]), {**data, "pay_band": "Band 9"})
    definition.refresh_from_db()
    assert frozen.status_code == 302 and definition.pay_band == "Band 4"
    leader.post(reverse("workforce:role_new_version", args=[definition.pk]))
    v2 = RoleDefinition.objects.get(title="Peer worker", version=2)
    RoleDefinition.objects.filter(pk=v2.pk).update(pay_band="Band 5")
    compare = leader.get(reverse("workforce:role_compare", args=[definition.pk, v2.pk])).content.decode()
    assert "Band 4" in compare and "Band 5" in compare and "changed" in compare
    printable = leader.get(reverse("workforce:role_print", args=[definition.pk])).content.decode()
    assert "Not counselling, diagnosis" in printable
    pdf = leader.get(reverse("workforce:role_pdf", args=[definition.pk]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_certificate_upload_refuses_wrong_type_and_size_with_a_message(world, login):
    peer = world.a.users["peer"]
    course = CourseFactory(organisation=world.a.organisation)
    http = login(peer)
    base = {"staff": peer.pk, "course": course.pk, "completed_on": today().isoformat()}
    bad = http.post(reverse("workforce:training"),
                    {**base, "certificate": SimpleUploadedFile("cert.pdf", b"<html>not a pdf</html>")})
    assert bad.status_code == 400 and "must be a PDF, PNG or JPEG" in bad.content.decode()
    big = http.post(reverse("workforce:training"),
                    {**base, "certificate": SimpleUploadedFile("c.jpg", b"\xff\xd8\xff" + b"0" * (5 * 1024 * 1024))})
    assert big.status_code == 400 and "larger than 5 MB" in big.content.decode()
    assert not TrainingCompletion.objects.exists()
    ok = http.post(reverse("workforce:training"),
                   {**base, "certificate": SimpleUploadedFile("c.pdf", b"%PDF-1.7 certificate")})
    assert ok.status_code == 302
    completion = TrainingCompletion.objects.get()
    download = login(world.a.users["supervisor"]).get(reverse("workforce:certificate", args=[completion.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")


def test_credential_dates_in_wrong_order_are_refused_on_the_page(world, login):
    peer = world.a.users["peer"]
    response = login(peer).post(reverse("workforce:credentials"), {
        "staff": peer.pk, "name": "CPS", "issuer": "Board", "issued_on": "2026-05-01", "expires_on": "2025-05-01",
        "ce_hours_required": "0", "ce_hours_earned": "0"})
    assert response.status_code == 400 and "must be after the issue date" in response.content.decode()
    assert not Credential.objects.exists()


def test_supervision_page_shows_overdue_and_records_a_session(world, login):
    supervisor = world.a.users["supervisor"]
    peer = world.a.users["peer"]
    peer.date_joined -= timedelta(days=100)
    peer.save()
    http = login(supervisor)
    assert "Overdue" in http.get(reverse("workforce:supervision")).content.decode()
    response = http.post(reverse("workforce:supervision"), {
        "kind": "individual", "held_on": today().isoformat(), "attendees": [peer.pk],
        "topics": ["boundaries", "stress"], "notes": "Checked in.", "action_items": "Read the boundaries guide."})
    assert response.status_code == 302
    page = http.get(reverse("workforce:supervision")).content.decode()
    assert "On track" in page and "Topics: Boundaries, Stress" in page


def test_boundary_pages_for_peer_and_supervisor_only(world, login):
    peer_http = login(world.a.users["peer"])
    response = peer_http.post(reverse("workforce:boundaries"), {"category": "outside_contact",
                                                                "question": "I met a client at the gym."})
    item = BoundaryConsultation.objects.get()
    assert response.status_code == 302
    sup = login(world.a.users["supervisor"])
    assert "I met a client at the gym." in sup.get(reverse("workforce:boundary_detail", args=[item.pk])).content.decode()
    sup.post(reverse("workforce:boundary_detail", args=[item.pk]), {"response": "Keep it brief and friendly.",
                                                                    "close": "on"})
    item.refresh_from_db()
    assert item.closed_at is not None
    assert "Keep it brief" in peer_http.get(reverse("workforce:boundary_detail", args=[item.pk])).content.decode()
    assert login(world.a.users["leader"]).get(reverse("workforce:boundary_detail", args=[item.pk])).status_code == 403
    for _ in range(5):
        BoundaryFactory(raised_by=world.a.users["peer"], category="gift")
    trend = login(world.a.users["leader"]).get(reverse("workforce:boundary_trend")).content.decode()
    assert "I met a client" not in trend and "<td>5</td>" in trend and "&lt;5" in trend


def test_survey_answer_and_results_pages(world, login):
    survey_round = SurveyRoundFactory(organisation=world.a.organisation)
    answers = {"responsibility": 4, "respected_colleagues": 4, "respected_served": 5, "enough_training": 3,
               "setting": 4, "training_hours": 3, "skills_used": 5, "burnout": 2, "stress": 3,
               "invited_meetings": 5, "stigma_coworkers": "on"}
    response = login(world.a.users["peer"]).post(reverse("workforce:survey_answer", args=[survey_round.pk]), answers)
    assert response.status_code == 302
    assert SurveyReceipt.objects.count() == 1 and SurveyResponse.objects.get().answers["stigma_coworkers"] is True
    results = login(world.a.users["leader"]).get(reverse("workforce:survey_results", args=[survey_round.pk]))
    assert "1 responded" in results.content.decode() and "hidden" in results.content.decode()
    incomplete = login(world.b.users["peer"])
    assert incomplete.get(reverse("workforce:survey_answer", args=[survey_round.pk])).status_code == 404


def test_pay_equity_coverage_notifications_and_jobs_pages_render(world, login):
    leader = login(world.a.users["leader"])
    for name in ("workforce:pay_equity", "workforce:coverage", "workforce:notifications", "workforce:jobs",
                 "workforce:home", "workforce:role_list", "workforce:training", "workforce:surveys",
                 "workforce:catalogue_edit", "workforce:credentials"):
        assert leader.get(reverse(name)).status_code == 200, name
    RoleDefinitionFactory(drafted_by=world.a.users["leader"])


def test_pages_in_spanish(world, login):
    peer = world.a.users["peer"]
    peer.language = "es"
    peer.save()
    page = login(peer).get(reverse("workforce:home"), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Mis credenciales" in page and "Personal de apoyo entre pares" in page
