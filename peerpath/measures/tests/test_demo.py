import pytest

from peerpath.accounts.models import StaffMember


@pytest.mark.django_db(transaction=True)  # the PostgreSQL wipe TRUNCATEs: not inside a test transaction
def test_demo_shows_every_measures_feature(settings, tmp_path):
    from peerpath.demo.seed import seed_demo
    from peerpath.measures.administrations import selectors
    from peerpath.measures.models import Instrument, SafetyAlert, SurveyLink
    from peerpath.measures.schedules import selectors as schedules_selectors
    from peerpath.outcomes.selectors import Cohort, evaluation_for

    settings.VAR_DIR = tmp_path
    settings.PEERPATH_DEMO_PASSWORD = "demo-password-for-tests"
    seed_demo(clients=160)
    peer = StaffMember.objects.get(username="peer")
    lists = selectors.due_lists(peer)
    assert all(lists[key] for key in ("due", "overdue", "missed"))
    alert = SafetyAlert.objects.get(acknowledged_at__isnull=True, kind="answer")
    assert peer.pk in alert.notified and StaffMember.objects.get(username="supervisor").pk in alert.notified
    # A client's own link with item 9 left blank and a severe total: an open follow-up on the peer's Today.
    follow_up = SafetyAlert.objects.get(acknowledged_at__isnull=True, kind="unanswered")
    assert (follow_up.item_number, follow_up.worst_band, follow_up.administration.band) == (9, True, "Severe")
    assert peer.pk in follow_up.notified and StaffMember.objects.get(username="supervisor").pk in follow_up.notified
    assert follow_up in selectors.open_alerts_for(peer)
    assert selectors.open_alerts_for(StaffMember.objects.get(username="supervisor")).exists()
    assert Instrument.objects.get(code="checkin").is_published
    assert SurveyLink.objects.filter(used_at__isnull=True).count() == 1
    rates = schedules_selectors.followup_rates(StaffMember.objects.get(username="leader"))
    assert any(r.below_target for r in rates) and any(r.rate and not r.below_target for r in rates)
    results, _data = evaluation_for(StaffMember.objects.get(username="leader"), cohort=Cohort())
    phq = {m["group"]: m for m in results["prepost"]["measures"] if m["measure"] == "phq9"}
    assert not phq["peer"]["suppressed"] and phq["peer"]["mean_change"] < -2
