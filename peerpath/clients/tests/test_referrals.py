"""Referral life: new → accepted or declined (with reason) → assigned to a peer → closed (with reason)."""

from __future__ import annotations

import pytest
from django.http import Http404

from peerpath.clients import services
from peerpath.clients.models import Client, Match, Referral
from peerpath.clients.tests.factories import ReferralFactory
from peerpath.core.exceptions import NotAllowed, ServiceError
from peerpath.core.models import AuditEvent


def test_clinician_refers_a_new_client_from_the_page(world, login):
    clinician = world.a.users["clinician"]
    http = login(clinician)
    response = http.post("/clients/referrals/new/", {
        "new_first_name": "Rosa", "new_last_name": "Delgado", "new_date_of_birth": "1990-02-03",
        "team": world.a.team.pk, "reason": "Second admission this year; lonely.", "urgency": "soon",
        "preferred_language": "es", "preferred_peer_gender": "woman", "preferred_modality": "phone",
    })
    referral = Referral.objects.get(client__first_name="Rosa")
    assert response.status_code == 302
    assert response["Location"] == f"/clients/referrals/{referral.pk}/"
    assert (referral.status, referral.urgency, referral.preferred_language, referral.referred_by) == ("new", "soon", "es", clinician)
    assert referral.client.team == world.a.team
    assert set(AuditEvent.objects.filter(client=referral.client).values_list("action", flat=True)) == {"create"}


def test_referral_form_shows_field_errors_and_saves_nothing(world, login):
    before = (Client.objects.count(), Referral.objects.count())
    response = login(world.a.users["clinician"]).post("/clients/referrals/new/", {"team": world.a.team.pk, "urgency": "routine"})
    assert response.status_code == 400
    content = response.content.decode()
    assert "Choose an existing client or enter the new client&#x27;s first name." in content
    assert "This field is required." in content  # reason
    assert (Client.objects.count(), Referral.objects.count()) == before


def test_peer_accepts_and_takes_on_a_referral(world, login):
    peer = world.a.users["peer"]
    referral = ReferralFactory(client=world.a.unmatched_client, team=world.a.team, referred_by=world.a.users["clinician"])
    response = login(peer).post(f"/clients/referrals/{referral.pk}/accept/", {"take_on": "1"})
    assert response.status_code == 302
    referral.refresh_from_db()
    assert (referral.status, referral.assigned_peer, referral.status_changed_by) == ("assigned", peer, peer)
    assert Match.objects.filter(client=world.a.unmatched_client, peer=peer, is_active=True, referral=referral).count() == 1
    details = list(AuditEvent.objects.filter(target_type="clients.referral", target_id=str(referral.pk)).values_list("detail", flat=True))
    assert {"from": "new", "to": "accepted"} in details and {"from": "accepted", "to": "assigned"} in details


def test_supervisor_accepts_then_assigns_a_peer(world):
    supervisor, peer = world.a.users["supervisor"], world.a.users["peer"]
    referral = ReferralFactory(client=world.a.unmatched_client, team=world.a.team, referred_by=world.a.users["clinician"])
    services.referral_accept(actor=supervisor, referral_id=referral.pk)
    services.referral_assign(actor=supervisor, referral_id=referral.pk, peer=peer)
    referral.refresh_from_db()
    assert (referral.status, referral.assigned_peer) == ("assigned", peer)


def test_decline_needs_a_reason_and_keeps_it(world):
    supervisor = world.a.users["supervisor"]
    referral = world.a.referral
    with pytest.raises(ServiceError) as error:
        services.referral_decline(actor=supervisor, referral_id=referral.pk, reason="  ")
    assert error.value.field == "reason"
    referral.refresh_from_db()
    assert referral.status == "new"
    services.referral_decline(actor=supervisor, referral_id=referral.pk, reason="Client moved out of the area.")
    referral.refresh_from_db()
    assert (referral.status, referral.decline_reason) == ("declined", "Client moved out of the area.")


def test_a_new_referral_cannot_jump_to_closed(world):
    referral = world.a.referral
    with pytest.raises(ServiceError) as error:
        services.referral_close(actor=world.a.users["supervisor"], referral_id=referral.pk, reason="done")
    assert error.value.reason == "A referral that is new cannot become closed."
    referral.refresh_from_db()
    assert referral.status == "new"


def test_closing_ends_the_match_made_from_it(world):
    supervisor, peer = world.a.users["supervisor"], world.a.users["peer"]
    referral = ReferralFactory(client=world.a.unmatched_client, team=world.a.team, referred_by=world.a.users["clinician"])
    services.referral_accept(actor=supervisor, referral_id=referral.pk)
    services.referral_assign(actor=supervisor, referral_id=referral.pk, peer=peer)
    services.referral_close(actor=supervisor, referral_id=referral.pk, reason="Goals achieved.")
    match = Match.objects.get(referral=referral)
    assert (match.is_active, match.ended_on is not None) == (False, True)


@pytest.mark.parametrize("role", ["clinician", "evaluator", "admin"])
def test_roles_that_do_not_handle_referrals_change_nothing(world, role):
    referral = world.a.referral
    with pytest.raises(NotAllowed):
        services.referral_accept(actor=world.a.users[role], referral_id=referral.pk)
    referral.refresh_from_db()
    assert (referral.status, referral.status_changed_by) == ("new", None)


def test_another_organisation_cannot_touch_a_referral(world):
    referral = world.a.referral
    with pytest.raises(Http404):
        services.referral_accept(actor=world.b.users["supervisor"], referral_id=referral.pk)
    referral.refresh_from_db()
    assert referral.status == "new"


def test_a_peer_cannot_assign_a_referral_to_someone_else(world):
    referral = ReferralFactory(client=world.a.unmatched_client, team=world.a.team, referred_by=world.a.users["clinician"], status="accepted")
    other_peer = type(world.a.users["peer"]).objects.create(username="p2", organisation=world.a.organisation, role="peer")
    with pytest.raises(NotAllowed):
        services.referral_assign(actor=world.a.users["peer"], referral_id=referral.pk, peer=other_peer)
    assert Match.objects.filter(peer=other_peer).count() == 0


def test_inbox_filters_by_status_and_shows_counts(world, login):
    ReferralFactory(client=world.a.client, referred_by=world.a.users["clinician"], status="declined", decline_reason="x")
    response = login(world.a.users["supervisor"]).get("/clients/referrals/?status=declined")
    assert response.status_code == 200
    assert [r.status for r in response.context["page"]] == ["declined"]
    assert response.context["counts"]["new"] == 1 and response.context["counts"]["declined"] == 1


def test_inbox_puts_decisions_first_and_urgent_before_routine(world, login):
    clinician = world.a.users["clinician"]
    ReferralFactory(client=world.a.client, referred_by=clinician, status="assigned")
    urgent = ReferralFactory(client=world.a.client, referred_by=clinician, urgency="urgent")
    waiting = ReferralFactory(client=world.a.client, referred_by=clinician, status="accepted")
    page = login(world.a.users["supervisor"]).get("/clients/referrals/").context["page"]
    assert [r.pk for r in page][:3] == [urgent.pk, world.a.referral.pk, waiting.pk]


def test_sex_and_diagnosis_group_are_recorded_when_given_and_optional(world, login, api_client):
    """Issue 12 point 2: optional baseline fields for the evaluation, from the page and the API."""
    import json

    http = login(world.a.users["clinician"])
    http.post("/clients/referrals/new/", {
        "new_first_name": "Rosa", "new_last_name": "Delgado", "new_sex": "female", "new_diagnosis_group": "bipolar",
        "team": world.a.team.pk, "reason": "Second admission this year.", "urgency": "routine",
    })
    rosa = Client.objects.get(first_name="Rosa")
    assert (rosa.sex, rosa.diagnosis_group) == ("female", "bipolar")
    api = api_client(world.a.users["clinician"])
    body = {"new_client": {"first_name": "Ana", "last_name": "Ruiz", "team_id": world.a.team.pk}, "team_id": world.a.team.pk,
            "reason": "Lonely after discharge"}
    assert api.post("/api/v1/referrals", json.dumps(body), content_type="application/json").status_code == 201
    ana = Client.objects.get(first_name="Ana")
    assert (ana.sex, ana.diagnosis_group) == ("", "")  # not recorded
    shown = api.get(f"/api/v1/clients/{rosa.pk}").json()
    assert (shown["sex"], shown["diagnosis_group"]) == ("female", "bipolar")
    body["new_client"] = {"first_name": "Eva", "last_name": "Ruiz", "team_id": world.a.team.pk, "sex": "unknown"}
    response = api.post("/api/v1/referrals", json.dumps(body), content_type="application/json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["reason"] == "Choose one of the listed values, or leave it empty."
    assert not Client.objects.filter(first_name="Eva").exists()
