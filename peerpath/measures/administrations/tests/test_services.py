"""Administrations, safety alerts, permissions and audit."""

from decimal import Decimal

import pytest
from django.core import mail

from peerpath.core.exceptions import NotAllowed, ServiceError
from peerpath.core.models import AuditEvent, Notification
from peerpath.measures.administrations import selectors as administrations_selectors
from peerpath.measures.administrations import services as administrations_services
from peerpath.measures.models import Administration, ItemAnswer, SafetyAlert
from peerpath.measures.tests.factories import PHQ_ALL_ONES, administration, completed, shipped

pytestmark = pytest.mark.django_db

NO_RISK = {**PHQ_ALL_ONES, 9: 0}


def test_peer_enters_answers_with_the_client_and_the_score_is_kept(world):
    adm = administration(world.a)
    done = administrations_services.administration_submit(actor=world.a.users["peer"], administration=adm,
                                          answers={"item_1": 3, "item_2": 2, 3: 1, 4: 0, 5: 3, 6: 2, 7: 1, 8: 0, 9: 0})
    assert (done.status, done.total_score, done.band, done.mode, done.entered_by) == (
        "completed", Decimal(12), "Moderate", "with_peer", world.a.users["peer"])
    assert done.completed_at is not None and not done.safety_flag
    assert list(ItemAnswer.objects.filter(administration=adm).order_by("item__number").values_list("value", flat=True)) == [
        3, 2, 1, 0, 3, 2, 1, 0, 0]
    event = AuditEvent.objects.filter(action="update", target_type="measures.administration").get()
    assert (event.client_id, event.actor_id, event.detail["completed"]) == (world.a.client.pk, world.a.users["peer"].pk, True)


def test_skipped_items_are_stored_empty_and_the_score_prorated(world):
    adm = administration(world.a)
    done = administrations_services.administration_submit(actor=world.a.users["peer"], administration=adm,
                                          answers={**{i: 2 for i in range(1, 9)}, 5: None, 9: 0})
    assert (done.total_score, done.missing_items, done.safety_unanswered) == (Decimal(16), 1, False)  # 14 × 9 ÷ 8 = 15.75
    assert ItemAnswer.objects.get(administration=adm, item__number=5).value is None


@pytest.mark.parametrize("who", ["peer_unmatched", "clinician", "evaluator", "admin", "other_org_peer"])
def test_who_may_not_enter_answers_changes_nothing(world, who):
    client = world.a.client
    actor = {"peer_unmatched": world.a.users["peer"], "clinician": world.a.users["clinician"],
             "evaluator": world.a.users["evaluator"], "admin": world.a.users["admin"],
             "other_org_peer": world.b.users["peer"]}[who]
    if who == "peer_unmatched":
        client = world.a.unmatched_client
    adm = administration(world.a, client=client)
    before = AuditEvent.objects.count()
    with pytest.raises(NotAllowed):
        administrations_services.administration_submit(actor=actor, administration=adm, answers=PHQ_ALL_ONES)
    adm.refresh_from_db()
    assert (adm.status, adm.total_score, ItemAnswer.objects.count(), AuditEvent.objects.count()) == ("due", None, 0, before)


def test_answer_out_of_range_names_the_item_and_saves_nothing(world):
    adm = administration(world.a)
    with pytest.raises(ServiceError) as err:
        administrations_services.administration_submit(actor=world.a.users["peer"], administration=adm, answers={**PHQ_ALL_ONES, 4: 7})
    assert err.value.field == "item_4"
    adm.refresh_from_db()
    assert (adm.status, ItemAnswer.objects.count()) == ("due", 0)


def test_a_completed_measure_cannot_be_answered_again(world):
    adm = completed(world.a, answers=NO_RISK)
    with pytest.raises(ServiceError):
        administrations_services.administration_submit(actor=world.a.users["peer"], administration=adm, answers=NO_RISK)
    assert ItemAnswer.objects.filter(administration=adm).count() == 9


def test_item9_alerts_peer_and_supervisor_at_once_with_the_protocol(world, django_capture_on_commit_callbacks):
    world.a.organisation.safety_protocol = "Call the on-call line 555-0100 and stay with the person."
    world.a.organisation.save()
    world.a.users["supervisor"].email = "sup@example.org"
    world.a.users["supervisor"].save()
    adm = administration(world.a)
    with django_capture_on_commit_callbacks(execute=True):
        done = administrations_services.administration_submit(actor=world.a.users["peer"], administration=adm,
                                              answers={**PHQ_ALL_ONES, 9: 2})
    assert done.safety_flag
    alert = SafetyAlert.objects.get()
    assert set(alert.notified) == {world.a.users["peer"].pk, world.a.users["supervisor"].pk}
    notes = {n.recipient.username: n for n in Notification.objects.all()}
    assert set(notes) == {"peer-a", "supervisor-a"}
    assert "555-0100" in notes["supervisor-a"].message and notes["peer-a"].link == f"/measures/administrations/{adm.pk}/"
    assert [m.to for m in mail.outbox] == [["sup@example.org"]]
    assert "Matched" not in mail.outbox[0].body  # no client details by email
    assert Notification.objects.filter(recipient=world.b.users["supervisor"]).count() == 0


def test_no_alert_when_item9_is_zero(world):
    completed(world.a, answers=NO_RISK)
    assert (SafetyAlert.objects.count(), Notification.objects.count()) == (0, 0)


def test_default_protocol_when_the_organisation_has_none(world):
    world.a.organisation.safety_protocol = ""
    assert administrations_services.safety_protocol(world.a.organisation) == administrations_services.DEFAULT_SAFETY_PROTOCOL


def test_alert_can_be_acknowledged_once(world):
    completed(world.a, answers={**PHQ_ALL_ONES, 9: 1})
    alert = SafetyAlert.objects.get()
    administrations_services.alert_acknowledge(actor=world.a.users["supervisor"], alert=alert)
    assert alert.acknowledged_by == world.a.users["supervisor"]
    with pytest.raises(ServiceError):
        administrations_services.alert_acknowledge(actor=world.a.users["peer"], alert=alert)
    assert administrations_selectors.open_alerts_for(world.a.users["peer"]).count() == 0


def test_administration_create_checks_the_instrument_and_client(world):
    peer = world.a.users["peer"]
    adm = administrations_services.administration_create(actor=peer, client=world.a.client, instrument=shipped("gad7"), language="es")
    assert (adm.status, adm.language, adm.timepoint) == ("due", "es", "intake")
    with pytest.raises(ServiceError) as err:  # licensed text not added yet
        administrations_services.administration_create(actor=peer, client=world.a.client, instrument=shipped("swemwbs"))
    assert err.value.field == "instrument"
    with pytest.raises(NotAllowed):
        administrations_services.administration_create(actor=peer, client=world.a.unmatched_client, instrument=shipped("gad7"))
    assert Administration.objects.count() == 1


def test_scored_administrations_contract(world):
    completed(world.a, answers=NO_RISK)
    completed(world.a, code="gad7", answers={i: 2 for i in range(1, 8)})
    completed(world.b, answers=NO_RISK)
    administration(world.a)  # due: not included
    rows = list(administrations_selectors.scored_administrations(organisation_id=world.a.organisation.pk))
    assert sorted((r["instrument__code"], r["timepoint"], r["total_score"]) for r in rows) == [
        ("gad7", "intake", Decimal(14)), ("phq9", "intake", Decimal(8))]
    assert set(rows[0]) == {"client_id", "instrument__code", "timepoint", "completed_at", "total_score"}
    assert list(administrations_selectors.scored_administrations(organisation_id=world.a.organisation.pk, client_ids=[])) == []
