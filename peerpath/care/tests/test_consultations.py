"""Peer consultations: who records them, what is refused (and then nothing is written), who sees them,
the page and the API."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from peerpath.accounts.tests.factories import StaffFactory
from peerpath.care import selectors, services
from peerpath.care.models import PeerConsultation
from peerpath.care.tests.factories import PeerConsultationFactory
from peerpath.core.exceptions import NotAllowed, ServiceError
from peerpath.core.models import AuditEvent

pytestmark = pytest.mark.django_db

NO_CLIENT = "No such client among those you can see."


def _nothing_written():
    assert PeerConsultation.objects.count() == 0
    assert not AuditEvent.objects.filter(target_type="care.peerconsultation").exists()


# ------------------------------------------------------------------ service


def test_a_clinician_records_consulting_a_peer_about_a_client(world):
    a = world.a
    consultation = services.consultation_record(actor=a.users["clinician"], peer=a.users["peer"], client=a.client,
                                                held_at=timezone.now(), topic="  First week home  ")
    consultation.refresh_from_db()
    assert (consultation.organisation_id, consultation.peer, consultation.asked_by, consultation.client,
            consultation.topic) == (a.organisation.pk, a.users["peer"], a.users["clinician"], a.client,
                                    "First week home")
    event = AuditEvent.objects.get(target_type="care.peerconsultation", target_id=str(consultation.pk))
    assert (event.action, event.client_id, event.actor_id) == ("create", a.client.pk, a.users["clinician"].pk)


def test_a_consultation_in_general_has_no_client_and_its_audit_event_neither(world):
    a = world.a
    consultation = services.consultation_record(actor=a.users["supervisor"], peer=a.users["peer"],
                                                held_at=timezone.now() - timedelta(hours=2), topic="Group ideas")
    assert (consultation.client, consultation.asked_by) == (None, a.users["supervisor"])
    event = AuditEvent.objects.get(target_type="care.peerconsultation", target_id=str(consultation.pk))
    assert (event.action, event.client_id, event.actor_id) == ("create", None, a.users["supervisor"].pk)


def test_a_peer_records_being_consulted_by_a_colleague(world):
    a = world.a
    consultation = services.consultation_record(actor=a.users["peer"], peer=a.users["peer"],
                                                asked_by=a.users["supervisor"], held_at=timezone.now(),
                                                topic="How to start with someone new")
    assert (consultation.peer, consultation.asked_by, consultation.client) == (
        a.users["peer"], a.users["supervisor"], None)
    event = AuditEvent.objects.get(target_type="care.peerconsultation")
    assert event.actor_id == a.users["peer"].pk


def test_a_peer_records_asking_another_peer(world):
    a = world.a
    other_peer = StaffFactory(organisation=a.organisation, role="peer", teams=[a.team])
    consultation = services.consultation_record(actor=a.users["peer"], peer=other_peer, held_at=timezone.now(),
                                                topic="Sharing my story in groups")
    assert (consultation.peer, consultation.asked_by) == (other_peer, a.users["peer"])


@pytest.mark.parametrize("role", ["leader", "admin"])
def test_leaders_and_admins_may_record_what_they_asked(world, role):
    a = world.a
    consultation = services.consultation_record(actor=a.users[role], peer=a.users["peer"], held_at=timezone.now(),
                                                topic="Peer roles in the new service")
    assert consultation.asked_by == a.users[role]


def test_an_evaluator_may_not_record_and_nothing_is_written(world):
    with pytest.raises(NotAllowed):
        services.consultation_record(actor=world.a.users["evaluator"], peer=world.a.users["peer"],
                                     held_at=timezone.now(), topic="x")
    _nothing_written()


REFUSALS = [
    # (actor role, arguments (named objects resolved below), field)
    ("clinician", {"peer": "leader"}, "peer"),
    ("clinician", {"peer": "other-org-peer"}, "peer"),
    ("clinician", {"peer": "inactive-peer"}, "peer"),
    ("clinician", {"peer": None}, "peer"),
    ("clinician", {"peer": "peer", "client": "other-org-client"}, "client"),
    ("clinician", {"peer": "peer", "client": "client-on-another-team"}, "client"),
    ("clinician", {"peer": "peer", "held_at": "tomorrow"}, "held_at"),
    ("clinician", {"peer": "peer", "held_at": "naive"}, "held_at"),
    ("clinician", {"peer": "peer", "topic": "   "}, "topic"),
    ("clinician", {"peer": "peer", "topic": "x" * 201}, "topic"),
    ("clinician", {"peer": "peer", "asked_by": "supervisor"}, "asked_by"),  # not on someone else's behalf
    ("peer", {"peer": "peer"}, "peer"),  # a peer consulting themselves
    ("peer", {"peer": "peer", "asked_by": "peer"}, "asked_by"),
    ("peer", {"peer": "peer", "asked_by": "other-org-clinician"}, "asked_by"),
    ("peer", {"peer": "peer", "asked_by": "inactive-clinician"}, "asked_by"),
    ("peer", {"peer": "other-peer", "asked_by": "clinician"}, "asked_by"),  # the peer was not a party
]


@pytest.mark.parametrize(("who", "kwargs", "field"), REFUSALS)
def test_bad_input_is_refused_naming_the_field_and_nothing_is_written(world, who, kwargs, field):
    a, b = world.a, world.b
    named = {
        "peer": a.users["peer"], "leader": a.users["leader"], "supervisor": a.users["supervisor"],
        "clinician": a.users["clinician"], "other-org-peer": b.users["peer"],
        "other-org-clinician": b.users["clinician"], "other-org-client": b.client,
        "client-on-another-team": a.unmatched_client,
        "inactive-peer": StaffFactory(organisation=a.organisation, role="peer", is_active=False),
        "inactive-clinician": StaffFactory(organisation=a.organisation, role="clinician", is_active=False),
        "other-peer": StaffFactory(organisation=a.organisation, role="peer"),
        "tomorrow": timezone.now() + timedelta(days=1),
        "naive": datetime(2026, 1, 5, 10, 0),  # noqa: DTZ001 (the point of the test)
        None: None,
    }
    call = {"held_at": timezone.now(), "topic": "Discharge planning"}
    for key, value in kwargs.items():
        call[key] = value if key == "topic" else named[value]
    with pytest.raises(ServiceError) as refused:
        services.consultation_record(actor=a.users[who], **call)
    assert refused.value.field == field
    _nothing_written()


def test_a_client_of_another_organisation_reads_like_a_missing_one(world):
    a, b = world.a, world.b
    with pytest.raises(ServiceError) as refused:
        services.consultation_record(actor=a.users["leader"], peer=a.users["peer"], client=b.client,
                                     held_at=timezone.now(), topic="x")
    assert (refused.value.field, refused.value.reason) == ("client", NO_CLIENT)
    _nothing_written()


# ------------------------------------------------------------------ selector


def test_each_person_sees_what_they_asked_or_gave_and_supervisors_see_the_organisations(world):
    a, b = world.a, world.b
    other_peer = StaffFactory(organisation=a.organisation, role="peer")
    older = PeerConsultationFactory(peer=a.users["peer"], asked_by=a.users["clinician"],
                                    held_at=timezone.now() - timedelta(days=3), topic="Older")
    newer = PeerConsultationFactory(peer=a.users["peer"], asked_by=a.users["supervisor"],
                                    held_at=timezone.now() - timedelta(days=1), topic="Newer")
    elsewhere = PeerConsultationFactory(peer=other_peer, asked_by=a.users["leader"], topic="Elsewhere",
                                        held_at=timezone.now() - timedelta(days=2))
    b_row = PeerConsultationFactory(peer=b.users["peer"], asked_by=b.users["clinician"], topic="B")
    PeerConsultationFactory(peer=a.users["peer"], asked_by=a.users["clinician"], is_active=False)
    assert list(selectors.consultations_for(a.users["peer"])) == [newer, older]
    assert list(selectors.consultations_for(a.users["clinician"])) == [older]
    assert list(selectors.consultations_for(other_peer)) == [elsewhere]
    for role in ("supervisor", "leader", "admin"):
        assert list(selectors.consultations_for(a.users[role])) == [newer, elsewhere, older], role
    assert list(selectors.consultations_for(a.users["evaluator"])) == []
    assert list(selectors.consultations_for(b.users["admin"])) == [b_row]


def test_the_list_reads_people_and_clients_in_one_query(world, django_assert_num_queries):
    a = world.a
    for _ in range(4):
        PeerConsultationFactory(peer=a.users["peer"], asked_by=a.users["clinician"], client=a.client)
    with django_assert_num_queries(1):
        names = [(c.peer.display_name, c.asked_by.display_name, c.client.first_name)
                 for c in selectors.consultations_for(a.users["leader"])]
    assert len(names) == 4


# ------------------------------------------------------------------ page

URL = "care:consultation_list"


def _now_field() -> str:
    return timezone.localtime().strftime("%Y-%m-%dT%H:%M")


def test_the_page_offers_a_clinician_the_organisations_active_peers(world, login):
    a = world.a
    StaffFactory(organisation=a.organisation, role="peer", first_name="Gone", last_name="Away", is_active=False)
    page = login(a.users["clinician"]).get(reverse(URL))
    assert page.status_code == 200
    peers = list(page.context["form"].fields["peer"].queryset)
    assert peers == [a.users["peer"]]
    assert "asked_by" not in page.context["form"].fields
    assert "No consultations recorded yet." in page.content.decode()


def test_the_page_shows_field_errors_and_writes_nothing(world, login):
    a = world.a
    http = login(a.users["clinician"])
    bad = http.post(reverse(URL), {"peer": a.users["peer"].pk, "held_at": "", "topic": ""})
    assert bad.status_code == 400
    assert bad.context["form"].errors.keys() == {"held_at", "topic"}
    assert "This field is required." in bad.content.decode()
    future = (timezone.localtime() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    refused = http.post(reverse(URL), {"peer": a.users["peer"].pk, "held_at": future, "topic": "Next week"})
    assert refused.status_code == 400
    assert refused.context["form"].errors == {"held_at": ["A consultation cannot be in the future."]}
    _nothing_written()


def test_a_clinician_records_from_the_client_page_link(world, login):
    a = world.a
    http = login(a.users["clinician"])
    url = reverse(URL) + f"?client={a.client.pk}"
    assert f"About {a.client.first_name}." in http.get(url).content.decode()
    ok = http.post(url, {"peer": a.users["peer"].pk, "client": a.client.pk, "held_at": _now_field(),
                         "topic": "Preparing for discharge"}, follow=True)
    assert ok.redirect_chain == [(reverse(URL), 302)]
    body = ok.content.decode()
    assert "Consultation recorded." in body and "Preparing for discharge" in body
    consultation = PeerConsultation.objects.get()
    assert (consultation.peer, consultation.asked_by, consultation.client) == (
        a.users["peer"], a.users["clinician"], a.client)


def test_a_peer_records_who_asked_them_on_the_page(world, login):
    a = world.a
    http = login(a.users["peer"])
    assert "peer" not in http.get(reverse(URL)).context["form"].fields
    response = http.post(reverse(URL), {"asked_by": a.users["supervisor"].pk, "held_at": _now_field(),
                                        "topic": "  Welcoming new peers  "})
    assert response.status_code == 302
    consultation = PeerConsultation.objects.get()
    assert (consultation.peer, consultation.asked_by, consultation.topic) == (
        a.users["peer"], a.users["supervisor"], "Welcoming new peers")


def test_the_page_refuses_another_organisations_colleague_and_client(world, login):
    a, b = world.a, world.b
    http = login(a.users["clinician"])
    wrong_peer = http.post(reverse(URL), {"peer": b.users["peer"].pk, "held_at": _now_field(), "topic": "x"})
    assert wrong_peer.status_code == 400 and "peer" in wrong_peer.context["form"].errors
    assert http.get(reverse(URL) + f"?client={b.client.pk}").status_code == 404
    assert http.post(reverse(URL) + f"?client={b.client.pk}", {"peer": a.users["peer"].pk, "client": b.client.pk,
                                                               "held_at": _now_field(), "topic": "x"}).status_code == 404
    assert http.get(reverse(URL) + "?client=abc").status_code == 404
    _nothing_written()


def test_the_client_is_named_only_to_those_who_may_see_them(world, login):
    a = world.a
    # The leader asked about a client of the other team: the supervisor (first team) sees the row, not the name.
    PeerConsultationFactory(peer=a.users["peer"], asked_by=a.users["leader"], client=a.unmatched_client,
                            topic="Moving wards")
    name = f"about {a.unmatched_client.display_name}"
    assert name in login(a.users["admin"]).get(reverse(URL)).content.decode()
    supervisor_page = login(a.users["supervisor"]).get(reverse(URL)).content.decode()
    assert "Moving wards" in supervisor_page and name not in supervisor_page and "about a client" in supervisor_page


def test_the_page_does_not_query_per_row(world, login):
    a = world.a
    http = login(a.users["leader"])
    PeerConsultationFactory(peer=a.users["peer"], asked_by=a.users["clinician"], client=a.client)
    with CaptureQueriesContext(connection) as one:
        http.get(reverse(URL))
    for _ in range(6):
        PeerConsultationFactory(peer=a.users["peer"], asked_by=a.users["clinician"], client=a.client)
    with CaptureQueriesContext(connection) as seven:
        http.get(reverse(URL))
    assert len(seven) == len(one)


def test_the_page_is_refused_to_evaluators(world, login):
    assert login(world.a.users["evaluator"]).get(reverse(URL)).status_code == 403


def test_the_page_and_its_errors_are_in_spanish(world, login):
    a = world.a
    a.users["clinician"].language = "es"
    a.users["clinician"].save(update_fields=["language"])
    http = login(a.users["clinician"])
    page = http.get(reverse(URL), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Guardar consulta" in page and "Trabajador de apoyo entre pares al que consultaste" in page
    future = (timezone.localtime() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    refused = http.post(reverse(URL), {"peer": a.users["peer"].pk, "held_at": future, "topic": "x"},
                        HTTP_ACCEPT_LANGUAGE="es")
    assert refused.context["form"].errors == {"held_at": ["Una consulta no puede estar en el futuro."]}


# ------------------------------------------------------------------ API


def _post(http, body):
    return http.post(reverse("api:consultation_create"), json.dumps(body), content_type="application/json")


def test_the_api_records_and_lists(world, api_client):
    a = world.a
    peer_http = api_client(a.users["peer"])
    created = _post(peer_http, {"held_at": timezone.now().isoformat(), "topic": "Groups nearby",
                                "asked_by_id": a.users["clinician"].pk})
    assert created.status_code == 201
    body = created.json()
    assert (body["peer_id"], body["asked_by_id"], body["client_id"], body["topic"]) == (
        a.users["peer"].pk, a.users["clinician"].pk, None, "Groups nearby")
    clinician_http = api_client(a.users["clinician"])
    about = _post(clinician_http, {"held_at": timezone.now().isoformat(), "topic": "Discharge",
                                   "peer_id": a.users["peer"].pk, "client_id": a.client.pk})
    assert about.status_code == 201 and about.json()["client_id"] == a.client.pk
    assert [c["topic"] for c in peer_http.get(reverse("api:consultation_list")).json()] == ["Discharge", "Groups nearby"]
    assert [c["topic"] for c in api_client(world.b.users["leader"]).get(reverse("api:consultation_list")).json()] == []


@pytest.mark.parametrize(("who", "body", "status", "field"), [
    ("peer", {}, 400, "asked_by_id"),
    ("peer", {"asked_by_id": "b-clinician"}, 404, "asked_by_id"),
    ("clinician", {"peer_id": "b-peer"}, 404, "peer_id"),
    ("clinician", {"peer_id": "supervisor"}, 400, "peer_id"),
    ("clinician", {}, 400, "peer_id"),
    ("clinician", {"peer_id": "peer", "client_id": "b-client"}, 400, "client_id"),
    ("clinician", {"peer_id": "peer", "client_id": 987654}, 400, "client_id"),
    ("clinician", {"peer_id": "peer", "held_at": "tomorrow"}, 400, "held_at"),
    ("clinician", {"peer_id": "peer", "held_at": "2026-01-05T10:00:00"}, 400, "held_at"),
    ("clinician", {"peer_id": "peer", "held_at": "not a date"}, 422, "held_at"),
    ("clinician", {"peer_id": "peer", "topic": ""}, 422, "topic"),
    ("clinician", {"peer_id": "peer", "topic": "   "}, 400, "topic"),
    ("clinician", {"peer_id": "peer", "note": "extra"}, 422, "note"),
])
def test_the_api_names_the_wrong_field_and_writes_nothing(world, api_client, who, body, status, field):
    a, b = world.a, world.b
    named = {"b-clinician": b.users["clinician"].pk, "b-peer": b.users["peer"].pk, "b-client": b.client.pk,
             "supervisor": a.users["supervisor"].pk, "peer": a.users["peer"].pk,
             "tomorrow": (timezone.now() + timedelta(days=1)).isoformat()}
    payload = {"held_at": timezone.now().isoformat(), "topic": "Discharge"}
    payload.update({key: named.get(value, value) if isinstance(value, str) else value for key, value in body.items()})
    response = _post(api_client(a.users[who]), payload)
    assert response.status_code == status, response.content
    assert [e["field"] for e in response.json()["errors"]] == [field]
    if field == "client_id":
        assert response.json()["errors"][0]["reason"] == NO_CLIENT
    _nothing_written()


def test_the_api_refuses_evaluators(world, api_client):
    http = api_client(world.a.users["evaluator"])
    assert http.get(reverse("api:consultation_list")).status_code == 403
    refused = _post(http, {"held_at": timezone.now().isoformat(), "topic": "x", "peer_id": world.a.users["peer"].pk})
    assert refused.status_code == 403
    _nothing_written()


# ------------------------------------------------------------------ client page (clients app)


def test_a_clinician_is_offered_to_record_a_consultation_from_the_client_page(world, login):
    a = world.a
    url = reverse("clients:client_detail", args=[a.client.pk])
    link = f'href="{reverse("care:consultation_list")}?client={a.client.pk}"'
    assert link in login(a.users["clinician"]).get(url).content.decode()
    assert link not in login(a.users["peer"]).get(url).content.decode()


# ------------------------------------------------------------------ demo


def test_the_core_demo_has_a_handful_of_recent_consultations_that_their_clinicians_can_read(settings, tmp_path,
                                                                                              login):
    from peerpath.clients.permissions import visible_clients
    from peerpath.demo.seed import seed_core

    settings.VAR_DIR = tmp_path
    settings.PEERPATH_DEMO_PASSWORD = "demo-password-for-tests"
    ctx = seed_core(clients=60)
    riverside = ctx.organisations[0]
    rows = list(PeerConsultation.objects.select_related("peer", "asked_by", "client"))
    assert 6 <= len(rows) <= 10
    now = timezone.now()
    for row in rows:
        assert (row.organisation_id, row.peer.organisation_id, row.asked_by.organisation_id) == (riverside.pk,) * 3
        assert (row.peer.role, row.asked_by.role) == ("peer", "clinician")
        assert now - timedelta(days=21) < row.held_at < now
        if row.client is not None:
            assert visible_clients(row.asked_by).filter(pk=row.client_id).exists()
    demo_peer, demo_clinician = ctx.staff["peer"], ctx.staff["clinician"]
    assert sum(1 for r in rows if r.peer_id == demo_peer.pk) >= 3
    assert sum(1 for r in rows if r.asked_by_id == demo_clinician.pk) >= 3
    page = login(demo_clinician).get(reverse(URL))
    assert page.status_code == 200 and len(page.context["rows"]) >= 3


def test_the_api_gives_the_client_only_to_those_who_may_see_them_and_audits_only_those(world, api_client):
    """The page says "about a client" to a reader outside the client's scope; the API must not hand over the id."""
    from peerpath.core.models import AuditEventSubject

    a = world.a
    row = PeerConsultationFactory(peer=a.users["peer"], asked_by=a.users["leader"], client=a.unmatched_client,
                                  topic="Moving wards")
    supervisor = [c for c in api_client(a.users["supervisor"]).get(reverse("api:consultation_list")).json()
                  if c["id"] == row.pk]
    assert [(c["topic"], c["client_id"], c["about_a_client"]) for c in supervisor] == [("Moving wards", None, True)]
    assert not AuditEventSubject.objects.filter(event__actor=a.users["supervisor"],
                                                client_id=a.unmatched_client.pk).exists()
    admin = [c for c in api_client(a.users["admin"]).get(reverse("api:consultation_list")).json() if c["id"] == row.pk]
    assert [(c["client_id"], c["about_a_client"]) for c in admin] == [(a.unmatched_client.pk, True)]
