"""Closed-loop referrals: everyone in the loop hears of each change, each referral has a time limit by its
urgency, the inbox opens on what needs action and flags what is overdue, and the referrer sees who has
their client and when the client was first seen."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from peerpath.accounts.tests.factories import StaffFactory
from peerpath.care import services as care_services
from peerpath.clients import services
from peerpath.clients.deadlines import due_by
from peerpath.clients.models import Referral
from peerpath.clients.tests.factories import ReferralFactory
from peerpath.core.notifications import Notification


def _notes(user) -> list[tuple[str, str]]:
    return list(Notification.objects.filter(recipient=user).order_by("pk").values_list("kind", "message"))


def _referral(world, **fields) -> Referral:
    return ReferralFactory(client=world.a.unmatched_client, team=world.a.team, referred_by=world.a.users["clinician"],
                           **fields)


def test_a_new_referral_tells_its_teams_supervisors_only(world, django_capture_on_commit_callbacks):
    a = world.a
    elsewhere = StaffFactory(organisation=a.organisation, role="supervisor", teams=[a.other_team])
    with django_capture_on_commit_callbacks(execute=True):
        referral = services.referral_create(actor=a.users["clinician"], client=a.client, reason="Lonely after discharge.",
                                            urgency="soon", team=a.team)
    assert _notes(a.users["supervisor"]) == [("referral.received", f"A new referral for your team: {a.client.display_name}.")]
    assert _notes(elsewhere) == [] and _notes(a.users["clinician"]) == []
    assert Notification.objects.get(recipient=a.users["supervisor"]).link == f"/clients/referrals/{referral.pk}/"


def test_the_referrer_hears_of_each_change_made_by_others(world, django_capture_on_commit_callbacks):
    a = world.a
    name = a.unmatched_client.display_name
    referral = _referral(world)
    with django_capture_on_commit_callbacks(execute=True):
        services.referral_accept(actor=a.users["supervisor"], referral_id=referral.pk)
    with django_capture_on_commit_callbacks(execute=True):
        services.referral_assign(actor=a.users["supervisor"], referral_id=referral.pk, peer=a.users["peer"])
    with django_capture_on_commit_callbacks(execute=True):
        services.referral_close(actor=a.users["supervisor"], referral_id=referral.pk, reason="Moved away")
    assert _notes(a.users["clinician"]) == [
        ("referral.accepted_for_referrer", f"Your referral of {name} was accepted."),
        ("referral.assigned_for_referrer", f"Your referral of {name} was assigned to a peer support worker."),
        ("referral.closed_for_referrer", f"Your referral of {name} was closed."),
    ]
    assert [kind for kind, _ in _notes(a.users["peer"])] == ["referral.assigned_to_peer", "referral.closed_for_peer"]


def test_accept_and_take_on_in_one_step_tells_the_referrer_once(world, django_capture_on_commit_callbacks):
    a = world.a
    referral = _referral(world)
    with django_capture_on_commit_callbacks(execute=True):
        services.referral_accept(actor=a.users["peer"], referral_id=referral.pk, take_on=True)
    assert [kind for kind, _ in _notes(a.users["clinician"])] == ["referral.assigned_for_referrer"]
    assert _notes(a.users["peer"]) == []  # they took it on themselves


def test_a_declined_referral_tells_the_referrer_but_not_who_declined(world, django_capture_on_commit_callbacks):
    a = world.a
    referral = _referral(world)
    with django_capture_on_commit_callbacks(execute=True):
        services.referral_decline(actor=a.users["supervisor"], referral_id=referral.pk, reason="Not in our area")
    assert [kind for kind, _ in _notes(a.users["clinician"])] == ["referral.declined_for_referrer"]
    assert _notes(a.users["supervisor"]) == []


def _received(day: date, urgency: str, world) -> Referral:
    referral = _referral(world, urgency=urgency)
    at = timezone.make_aware(datetime(day.year, day.month, day.day, 18, 0))
    Referral.objects.filter(pk=referral.pk).update(created_at=at)
    referral.refresh_from_db()
    return referral


@pytest.mark.parametrize(("received", "urgency", "due"), [
    (date(2026, 11, 27), "urgent", date(2026, 11, 30)),  # a Friday evening: due on Monday
    (date(2026, 11, 24), "urgent", date(2026, 11, 25)),
    (date(2026, 11, 27), "soon", date(2026, 11, 30)),  # calendar days
    (date(2026, 11, 16), "routine", date(2026, 11, 30)),
])
def test_each_urgency_has_its_time_limit(world, received, urgency, due):
    assert due_by(_received(received, urgency, world), world.a.organisation) == due


def test_the_organisation_sets_its_own_time_limits(world, login):
    a = world.a
    response = login(a.users["admin"]).post(reverse("accounts:organisation_settings"), {
        "safety_protocol": "", "referral_urgent_working_days": "2", "referral_soon_days": "5",
        "referral_routine_days": "10"})
    assert response.status_code == 302
    a.organisation.refresh_from_db()
    assert due_by(_received(date(2026, 11, 27), "urgent", world), a.organisation) == date(2026, 12, 1)
    assert due_by(_received(date(2026, 11, 27), "soon", world), a.organisation) == date(2026, 12, 2)
    refused = login(a.users["admin"]).post(reverse("accounts:organisation_settings"), {
        "safety_protocol": "", "referral_urgent_working_days": "0", "referral_soon_days": "5",
        "referral_routine_days": "10"})
    assert refused.status_code == 400
    a.organisation.refresh_from_db()
    assert a.organisation.referral_urgent_working_days == 2


def test_the_inbox_opens_on_what_needs_action_and_flags_the_overdue(world, login):
    a = world.a
    Referral.objects.all().delete()
    overdue = _received(timezone.localdate() - timedelta(days=20), "soon", world)
    fresh = _referral(world, urgency="routine")
    done = _referral(world, status="declined")
    page = login(a.users["supervisor"]).get(reverse("clients:referral_inbox")).content.decode()
    assert f"/clients/referrals/{overdue.pk}/" in page and f"/clients/referrals/{fresh.pk}/" in page
    assert f"/clients/referrals/{done.pk}/" not in page
    assert "1 referral is past its time limit" in page
    assert page.count(">Overdue<") == 1
    everything = login(a.users["supervisor"]).get(reverse("clients:referral_inbox") + "?status=all").content.decode()
    assert f"/clients/referrals/{done.pk}/" in everything


def test_the_referrer_sees_who_has_the_client_and_the_first_contact_on_page_and_api(world, login, api_client):
    a = world.a
    referral = _referral(world)
    services.referral_accept(actor=a.users["supervisor"], referral_id=referral.pk)
    services.referral_assign(actor=a.users["supervisor"], referral_id=referral.pk, peer=a.users["peer"])
    [body] = [r for r in api_client(a.users["clinician"]).get("/api/v1/referrals").json() if r["id"] == referral.pk]
    assert (body["status"], body["assigned_peer_id"], body["first_contact_at"], body["overdue"]) == (
        "assigned", a.users["peer"].pk, None, False)
    seen_at = timezone.now() - timedelta(hours=2)
    care_services.encounter_record(actor=a.users["peer"], clients=[a.unmatched_client], started_at=seen_at,
                                   duration_minutes=30, modality="phone", setting="remote",
                                   activities=["sharing_experience"], note="First call.")
    [body] = [r for r in api_client(a.users["clinician"]).get("/api/v1/referrals").json() if r["id"] == referral.pk]
    assert abs(datetime.fromisoformat(body["first_contact_at"]) - seen_at) < timedelta(seconds=1)
    page = login(a.users["clinician"]).get(reverse("clients:referral_inbox") + "?status=all").content.decode()
    row = page[page.index(f"/clients/referrals/{referral.pk}/"):]
    row = row[:row.index("</tr>")]
    assert a.users["peer"].display_name in row
    assert timezone.localtime(seen_at).strftime("%Y-%m-%d") in row


def test_a_supervisor_accepts_and_assigns_a_suggested_peer_in_one_step(world, login, django_capture_on_commit_callbacks):
    from peerpath.core.models import AuditEvent

    a = world.a
    referral = _referral(world)
    page = login(a.users["supervisor"]).get(reverse("clients:referral_detail", args=[referral.pk])).content.decode()
    assert "Accept and assign to" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = login(a.users["supervisor"]).post(reverse("clients:referral_assign", args=[referral.pk]),
                                                      {"peer": a.users["peer"].pk})
    assert response.status_code == 302
    referral.refresh_from_db()
    assert (referral.status, referral.assigned_peer) == ("assigned", a.users["peer"])
    moves = [e["to"] for e in AuditEvent.objects.filter(target_type="clients.referral", target_id=str(referral.pk))
             .order_by("pk").values_list("detail", flat=True) if "to" in e]
    assert moves == ["accepted", "assigned"]
    assert [kind for kind, _ in _notes(a.users["clinician"])] == ["referral.assigned_for_referrer"]
    assert [kind for kind, _ in _notes(a.users["peer"])] == ["referral.assigned_to_peer"]


def test_a_peer_cannot_assign_a_new_referral_to_another_peer_and_nothing_changes(world):
    from peerpath.core.exceptions import NotAllowed

    a = world.a
    other = StaffFactory(organisation=a.organisation, role="peer", teams=[a.team])
    referral = _referral(world)
    with pytest.raises(NotAllowed):
        services.referral_assign(actor=a.users["peer"], referral_id=referral.pk, peer=other)
    referral.refresh_from_db()
    assert (referral.status, referral.assigned_peer) == ("new", None)
