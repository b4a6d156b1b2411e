"""Bulk triage in the referral inbox (issue 13, point 3): a supervisor ticks several referrals and assigns them to
one peer or declines them with one reason — all of them or none, each through its own policy, audit and
notifications."""

from __future__ import annotations

import pytest

from peerpath.clients.models import Match, Referral
from peerpath.clients.tests.factories import ClientFactory, ReferralFactory
from peerpath.core.models import AuditEvent
from peerpath.core.notifications import Notification

pytestmark = pytest.mark.django_db
INBOX = "/clients/referrals/"
BULK = "/clients/referrals/bulk/"


def _new_referrals(world, n=3, **fields):
    return [ReferralFactory(client=ClientFactory(team=world.a.team), team=world.a.team,
                            referred_by=world.a.users["clinician"], **fields) for _ in range(n)]


def test_the_supervisor_assigns_ticked_referrals_to_one_peer_in_one_step(world, login, django_capture_on_commit_callbacks):
    referrals = _new_referrals(world)
    page = login(world.a.users["supervisor"])
    inbox = page.get(INBOX).content.decode()
    assert f'name="referral" value="{referrals[0].pk}" form="bulk-referrals"' in inbox
    with django_capture_on_commit_callbacks(execute=True):
        response = page.post(BULK, {"action": "assign", "peer": world.a.users["peer"].pk,
                                    "referral": [r.pk for r in referrals[:2]]}, follow=True)
    assert "2 referrals assigned." in response.content.decode()
    assert [Referral.objects.get(pk=r.pk).status for r in referrals] == ["assigned", "assigned", "new"]
    assert Match.objects.filter(peer=world.a.users["peer"], client__in=[r.client for r in referrals[:2]],
                                is_active=True).count() == 2
    assert Notification.objects.filter(recipient=world.a.users["peer"], kind="referral.assigned_to_peer").count() == 2
    assert Notification.objects.filter(recipient=world.a.users["clinician"],
                                       kind="referral.assigned_for_referrer").count() == 2


def test_declining_needs_one_reason_and_each_referrer_sees_it(world, login):
    referrals = _new_referrals(world, 2)
    page = login(world.a.users["supervisor"])
    refused = page.post(BULK, {"action": "decline", "reason": "  ", "referral": [r.pk for r in referrals]}, follow=True)
    assert "Say why the referrals are declined; each referrer will see it." in refused.content.decode()
    assert set(Referral.objects.filter(pk__in=[r.pk for r in referrals]).values_list("status", flat=True)) == {"new"}
    page.post(BULK, {"action": "decline", "reason": "Outside our area", "referral": [r.pk for r in referrals]})
    assert list(Referral.objects.filter(pk__in=[r.pk for r in referrals]).values_list("status", "decline_reason")) == [
        ("declined", "Outside our area")] * 2


def test_one_referral_that_cannot_move_leaves_the_whole_batch_unchanged_and_is_named(world, login):
    referrals = _new_referrals(world, 2)
    closed = _new_referrals(world, 1, status="closed")[0]
    events_before = AuditEvent.objects.count()
    response = login(world.a.users["supervisor"]).post(
        BULK, {"action": "decline", "reason": "Full", "referral": [referrals[0].pk, closed.pk, referrals[1].pk]},
        follow=True)
    html = response.content.decode()
    assert f"Nothing was changed: {closed.client.display_name}" in html
    assert [Referral.objects.get(pk=r.pk).status for r in referrals] == ["new", "new"]
    assert AuditEvent.objects.filter(target_type="clients.referral", action="update").count() == 0
    assert AuditEvent.objects.count() >= events_before  # reads of the inbox may be audited; no change is


def test_a_repeated_submit_changes_nothing_twice(world, login):
    referrals = _new_referrals(world, 2)
    page = login(world.a.users["supervisor"])
    data = {"action": "decline", "reason": "Full", "referral": [r.pk for r in referrals]}
    page.post(BULK, data)
    again = page.post(BULK, data, follow=True)
    assert "Nothing was changed" in again.content.decode()
    assert AuditEvent.objects.filter(target_type="clients.referral", action="update").count() == 2


@pytest.mark.parametrize("role", ["peer", "clinician", "evaluator", "admin"])
def test_other_roles_have_no_bulk_form_and_are_refused(world, login, role):
    referrals = _new_referrals(world, 1)
    page = login(world.a.users[role])
    assert 'form="bulk-referrals"' not in page.get(INBOX).content.decode()
    response = page.post(BULK, {"action": "decline", "reason": "x", "referral": [referrals[0].pk]})
    assert response.status_code in (403, 404)
    assert Referral.objects.get(pk=referrals[0].pk).status == "new"


def test_a_referral_of_another_organisation_is_not_found_and_nothing_changes(world, login):
    mine = _new_referrals(world, 1)[0]
    theirs = ReferralFactory(client=ClientFactory(team=world.b.team), team=world.b.team,
                             referred_by=world.b.users["clinician"])
    response = login(world.a.users["supervisor"]).post(
        BULK, {"action": "decline", "reason": "x", "referral": [mine.pk, theirs.pk]})
    assert response.status_code == 404
    assert Referral.objects.get(pk=mine.pk).status == "new" and Referral.objects.get(pk=theirs.pk).status == "new"
