"""Schedules, windows, due/overdue/missed, reminders that stop, and the follow-up rate."""

from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from peerpath.core.exceptions import NotAllowed, ServiceError
from peerpath.core.models import Notification
from peerpath.measures import tasks
from peerpath.measures.administrations import selectors as administrations_selectors
from peerpath.measures.administrations import services as administrations_services
from peerpath.measures.models import Administration, MeasureReminder
from peerpath.measures.schedules import selectors as schedules_selectors
from peerpath.measures.schedules import services as schedules_services
from peerpath.measures.tests.factories import PHQ_ALL_ONES, days_ago, schedule

pytestmark = pytest.mark.django_db


def test_enrolment_creates_intake_and_followups_with_windows(world):
    sched = schedule(world.a)
    start = days_ago(0)
    schedules_services.enrolment_create(actor=world.a.users["peer"], client=world.a.client, schedule=sched, start_on=start)
    rows = list(Administration.objects.order_by("due_on").values_list("timepoint", "followup_day", "due_on", "window_start", "window_end"))
    assert rows == [
        ("intake", None, start, start, start + timedelta(days=14)),
        ("followup", 30, start + timedelta(days=30), start + timedelta(days=23), start + timedelta(days=44)),
        ("followup", 90, start + timedelta(days=90), start + timedelta(days=76), start + timedelta(days=111)),
        ("followup", 182, start + timedelta(days=182), start + timedelta(days=152), start + timedelta(days=242)),
    ]  # 6 months: valid from about 5 to 8 months


def test_enrolment_permissions_and_duplicates(world):
    sched = schedule(world.a)
    with pytest.raises(NotAllowed):
        schedules_services.enrolment_create(actor=world.a.users["peer"], client=world.a.unmatched_client, schedule=sched, start_on=days_ago(0))
    with pytest.raises(NotAllowed):
        schedules_services.enrolment_create(actor=world.b.users["leader"], client=world.a.client, schedule=sched, start_on=days_ago(0))
    assert Administration.objects.count() == 0
    schedules_services.enrolment_create(actor=world.a.users["peer"], client=world.a.client, schedule=sched, start_on=days_ago(0))
    with pytest.raises(ServiceError):
        schedules_services.enrolment_create(actor=world.a.users["peer"], client=world.a.client, schedule=sched, start_on=days_ago(0))
    assert Administration.objects.count() == 4


def test_due_overdue_and_missed_lists_for_the_peer(world):
    sched = schedule(world.a)
    schedules_services.enrolment_create(actor=world.a.users["peer"], client=world.a.client, schedule=sched, start_on=days_ago(100))
    lists = administrations_selectors.due_lists(world.a.users["peer"])
    # day 30 (window closed on day 44): missed; the intake closed on day 14, over 60 days ago: no longer listed;
    # day 90 (due 10 days ago, open to day 111): overdue
    assert [(a.timepoint, a.followup_day) for a in lists["missed"]] == [("followup", 30)]
    assert [a.followup_day for a in lists["overdue"]] == [90]
    assert lists["due"] == []
    schedules_services.enrolment_create(actor=world.a.users["peer"], client=world.a.client, schedule=schedule(world.a, codes=("gad7",)),
                              start_on=days_ago(0))
    assert [(a.instrument.code, a.timepoint) for a in administrations_selectors.due_lists(world.a.users["peer"])["due"]] == [("gad7", "intake")]
    assert administrations_selectors.due_lists(world.a.users["clinician"]) == {"due": [], "overdue": [], "missed": []}
    assert administrations_selectors.due_lists(world.b.users["peer"])["overdue"] == []


def test_scan_marks_missed_and_reminds_once_and_stops_when_completed(world):
    sched = schedule(world.a, points=(("intake", 0, 0, 14), ("followup", 30, 7, 14)))
    schedules_services.enrolment_create(actor=world.a.users["peer"], client=world.a.client, schedule=sched, start_on=days_ago(20))
    intake, followup = Administration.objects.order_by("due_on")
    today = timezone.localdate()
    assert tasks.scan_due_measures() == {"missed": 1, "reminders": 0}  # intake window closed day 14; day 30 not open yet
    intake.refresh_from_db()
    assert intake.status == "missed"
    on_window = today + timedelta(days=3)  # day 23: the follow-up window opens
    assert schedules_services.scan_due(today=on_window) == {"missed": 0, "reminders": 1}
    assert schedules_services.scan_due(today=on_window + timedelta(days=1)) == {"missed": 0, "reminders": 0}  # not twice
    note = Notification.objects.get(recipient=world.a.users["peer"])
    assert "PHQ9" in note.message and note.link == f"/measures/clients/{world.a.client.pk}/"
    administrations_services.administration_submit(actor=world.a.users["peer"], administration=followup, answers={**PHQ_ALL_ONES, 9: 0})
    assert schedules_services.scan_due(today=today + timedelta(days=12)) == {"missed": 0, "reminders": 0}  # past due: stopped
    assert MeasureReminder.objects.filter(kind="overdue").count() == 0
    assert Notification.objects.filter(recipient=world.a.users["peer"]).count() == 1


def test_overdue_reminder_when_still_not_done(world):
    sched = schedule(world.a, points=(("followup", 30, 7, 14),))
    schedules_services.enrolment_create(actor=world.a.users["peer"], client=world.a.client, schedule=sched, start_on=days_ago(35))
    assert schedules_services.scan_due() == {"missed": 0, "reminders": 1}
    assert MeasureReminder.objects.get().kind == "overdue"
    assert "was due" in Notification.objects.get().message


def test_discharge_makes_discharge_measures_due_and_cancels_future_followups(world):
    sched = schedule(world.a)
    enrolment = schedules_services.enrolment_create(actor=world.a.users["peer"], client=world.a.client, schedule=sched, start_on=days_ago(40))
    schedules_services.enrolment_discharge(actor=world.a.users["peer"], enrolment=enrolment, on=days_ago(0))
    states = dict(Administration.objects.values_list("followup_day", "status").filter(timepoint="followup"))
    assert states == {30: "due", 90: "cancelled", 182: "cancelled"}
    discharge = Administration.objects.get(timepoint="discharge")
    assert (discharge.due_on, discharge.window_start, discharge.window_end) == (days_ago(0), days_ago(7), days_ago(-14))


def _complete_on(adm, day, peer):
    administrations_services.administration_submit(actor=peer, administration=adm, answers={**PHQ_ALL_ONES, 9: 0})
    Administration.objects.filter(pk=adm.pk).update(completed_at=timezone.make_aware(datetime.combine(day, time(12))))


def test_followup_rate_counts_completions_inside_closed_windows(world, login):
    sched = schedule(world.a, points=(("intake", 0, 0, 14), ("followup", 30, 7, 14)), target=80)
    peer = world.a.users["peer"]
    from peerpath.clients.tests.factories import ClientFactory, MatchFactory

    clients = [world.a.client] + [ClientFactory(team=world.a.team) for _ in range(4)]
    for c in clients[1:]:
        MatchFactory(client=c, peer=peer)
    for c in clients:
        schedules_services.enrolment_create(actor=peer, client=c, schedule=sched, start_on=days_ago(60))
    followups = list(Administration.objects.filter(timepoint="followup").order_by("pk"))
    _complete_on(followups[0], days_ago(28), peer)  # day 32: in window
    _complete_on(followups[1], days_ago(36), peer)  # day 24: in window
    _complete_on(followups[2], days_ago(10), peer)  # day 50: after the window closed (day 44)
    schedules_services.scan_due()
    row = schedules_selectors.followup_rates(world.a.users["leader"])[0]
    assert (row.closed, row.completed, row.rate, row.below_target) == (5, 2, 40.0, True)
    page = login(world.a.users["supervisor"]).get("/measures/follow-up-rates/").content.decode()
    assert "40.0%" in page and "Below target" in page
    assert schedules_selectors.followup_rates(world.a.users["peer"]) == []
    assert schedules_selectors.followup_rates(world.b.users["leader"]) == []


def test_ensure_schedule_is_idempotent(world):
    from django_q.models import Schedule

    tasks.ensure_schedule()
    tasks.ensure_schedule()
    assert Schedule.objects.filter(name=tasks.SCHEDULE_NAME, func=tasks.SCAN_TASK).count() == 1
