"""Peer consultations: who records them, what is refused (and then nothing is written), who sees them."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from peerpath.care import selectors, services
from peerpath.care.models import PeerConsultation
from peerpath.core.exceptions import NotAllowed, ServiceError
from peerpath.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_a_clinician_records_consulting_a_peer_about_a_client(world):
    a = world.a
    consultation = services.consultation_record(actor=a.users["clinician"], peer=a.users["peer"], client=a.client,
                                                held_at=timezone.now(), topic="  First week home  ")
    assert (consultation.peer, consultation.asked_by, consultation.client, consultation.topic) == (
        a.users["peer"], a.users["clinician"], a.client, "First week home")
    event = AuditEvent.objects.get(target_type="care.peerconsultation", target_id=str(consultation.pk))
    assert (event.action, event.client_id, event.actor_id) == ("create", a.client.pk, a.users["clinician"].pk)


def test_a_peer_records_being_consulted_by_a_colleague(world):
    a = world.a
    consultation = services.consultation_record(actor=a.users["peer"], asked_by=a.users["supervisor"],
                                                held_at=timezone.now(), topic="How to start with someone new")
    assert (consultation.peer, consultation.asked_by, consultation.client) == (a.users["peer"], a.users["supervisor"], None)


@pytest.mark.parametrize(("who", "kwargs", "field"), [
    ("clinician", {"peer": "clinician-as-peer"}, "peer"),
    ("clinician", {"peer": "other-org-peer"}, "peer"),
    ("clinician", {"peer": "peer", "client": "other-org-client"}, "client"),
    ("clinician", {"peer": "peer", "held_at": "tomorrow"}, "held_at"),
    ("clinician", {"peer": "peer", "topic": "   "}, "topic"),
    ("peer", {"asked_by": None}, "asked_by"),
    ("peer", {"asked_by": "self"}, "asked_by"),
    ("peer", {"asked_by": "other-org-clinician"}, "asked_by"),
])
def test_bad_input_is_refused_naming_the_field_and_nothing_is_written(world, who, kwargs, field):
    a, b = world.a, world.b
    values = {"peer": a.users["peer"], "clinician-as-peer": a.users["leader"], "other-org-peer": b.users["peer"],
              "other-org-client": b.client, "self": a.users["peer"], "other-org-clinician": b.users["clinician"],
              None: None}
    call = {"held_at": timezone.now(), "topic": "Discharge planning"}
    for key, value in kwargs.items():
        call[key] = (timezone.now() + timedelta(days=1) if value == "tomorrow" else
                     value if key == "topic" else values[value])
    with pytest.raises(ServiceError) as refused:
        services.consultation_record(actor=a.users[who], **call)
    assert refused.value.field == field
    assert PeerConsultation.objects.count() == 0
    assert not AuditEvent.objects.filter(target_type="care.peerconsultation").exists()


@pytest.mark.parametrize("role", ["evaluator", "admin"])
def test_roles_outside_the_care_team_may_not_record(world, role):
    with pytest.raises(NotAllowed):
        services.consultation_record(actor=world.a.users[role], peer=world.a.users["peer"], held_at=timezone.now(),
                                     topic="x")
    assert PeerConsultation.objects.count() == 0


def test_each_person_sees_their_own_and_supervisors_see_the_organisations(world):
    a, b = world.a, world.b
    mine = services.consultation_record(actor=a.users["clinician"], peer=a.users["peer"], held_at=timezone.now(),
                                        topic="Mine")
    services.consultation_record(actor=b.users["clinician"], peer=b.users["peer"], held_at=timezone.now(), topic="B")
    assert list(selectors.consultations_for(a.users["peer"])) == [mine]
    assert list(selectors.consultations_for(a.users["supervisor"])) == [mine]
    assert list(selectors.consultations_for(a.users["leader"])) == [mine]
    assert [c.topic for c in selectors.consultations_for(b.users["supervisor"])] == ["B"]


def test_the_page_records_a_consultation_and_shows_field_errors(world, login):
    a = world.a
    http = login(a.users["clinician"])
    url = reverse("care:consultation_list")
    bad = http.post(url, {"peer": a.users["peer"].pk, "held_at": "", "topic": ""})
    assert bad.status_code == 400
    assert "This field is required." in bad.content.decode()
    assert PeerConsultation.objects.count() == 0
    ok = http.post(url + f"?client={a.client.pk}", {"peer": a.users["peer"].pk, "client": a.client.pk,
                                                   "held_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
                                                   "topic": "Preparing for discharge"}, follow=True)
    assert "Consultation recorded." in ok.content.decode()
    consultation = PeerConsultation.objects.get()
    assert (consultation.client, consultation.asked_by) == (a.client, a.users["clinician"])
    assert "Preparing for discharge" in ok.content.decode()


def test_the_api_records_and_lists_and_names_the_wrong_field(world, api_client):
    a, b = world.a, world.b
    http = api_client(a.users["peer"])
    url = reverse("api:consultation_create")
    created = http.post(url, json.dumps({"held_at": timezone.now().isoformat(), "topic": "Groups nearby",
                                         "asked_by_id": a.users["clinician"].pk}), content_type="application/json")
    assert created.status_code == 201
    assert created.json()["asked_by_id"] == a.users["clinician"].pk and created.json()["peer_id"] == a.users["peer"].pk
    listed = http.get(reverse("api:consultation_list")).json()
    assert [c["topic"] for c in listed] == ["Groups nearby"]
    missing = http.post(url, json.dumps({"held_at": timezone.now().isoformat(), "topic": "x"}),
                        content_type="application/json")
    assert missing.status_code == 400 and missing.json()["errors"][0]["field"] == "asked_by_id"
    other = http.post(url, json.dumps({"held_at": timezone.now().isoformat(), "topic": "x",
                                       "asked_by_id": b.users["clinician"].pk}), content_type="application/json")
    assert other.status_code == 404
    assert PeerConsultation.objects.count() == 1


def test_a_clinician_is_offered_to_record_a_consultation_from_the_client_page(world, login):
    a = world.a
    url = reverse("clients:client_detail", args=[a.client.pk])
    link = f'href="{reverse("care:consultation_list")}?client={a.client.pk}"'
    assert link in login(a.users["clinician"]).get(url).content.decode()
    assert link not in login(a.users["peer"]).get(url).content.decode()
