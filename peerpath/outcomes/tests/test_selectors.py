import datetime as dt

import pytest
from django.utils import timezone

from peerpath.clients.models import Referral
from peerpath.clients.tests.factories import ClientFactory, MatchFactory, ReferralFactory
from peerpath.core.models import AuditEvent
from peerpath.outcomes import selectors
from peerpath.outcomes.models import ServiceEvent
from peerpath.outcomes.tests.factories import build_cohorts

pytestmark = pytest.mark.django_db


def test_cohort_groups_and_index_dates(world):
    org = world.a
    today = timezone.localdate()
    cohorts = build_cohorts(org, n_peer=2, n_comparison=2)
    declined = ClientFactory(team=org.team)
    ReferralFactory(client=declined, referred_by=org.users["clinician"], status="declined")
    # A timestamp without microseconds beside ones with them (the demo data has both).
    Referral.objects.filter(client=declined).update(created_at=dt.datetime(2025, 12, 1, 9, 0, tzinfo=dt.UTC),
                                                    status_changed_at=dt.datetime(2026, 1, 1, 9, 0, tzinfo=dt.UTC))
    short = ClientFactory(team=org.team)
    ReferralFactory(client=short, referred_by=org.users["clinician"], status="closed")
    MatchFactory(client=short, peer=org.users["peer"], started_on=today - dt.timedelta(days=100),
                 ended_on=today - dt.timedelta(days=90), is_active=False)
    future = ClientFactory(team=org.team)
    MatchFactory(client=future, peer=org.users["peer"], started_on=today + dt.timedelta(days=3))
    members = selectors.cohort_members(organisation_id=org.organisation.pk, cohort=selectors.Cohort(), today=today)
    groups = dict(zip(members["client_id"], members["group"], strict=True))
    assert groups[cohorts["peer"][0].pk] == "peer"
    assert groups[cohorts["comparison"][0].pk] == "comparison"
    assert groups[declined.pk] == "comparison"  # referred, declined before any match
    index = dict(zip(members["client_id"], members["index_date"], strict=True))
    assert index[declined.pk].date() == dt.date(2026, 1, 1)  # from the decision, not the referral
    assert groups[short.pk] == "peer"  # intention to treat: an early end does not change the group
    assert groups[org.client.pk] == "peer"  # the fixture's ongoing match
    assert future.pk not in groups  # starts in the future
    assert org.unmatched_client.pk not in groups  # never referred: not in any group
    assert world.b.client.pk not in groups


def test_cohort_filters(world):
    org = world.a
    cohorts = build_cohorts(org, n_peer=3, n_comparison=3)
    today = timezone.localdate()
    by_team = selectors.cohort_members(organisation_id=org.organisation.pk, cohort=selectors.Cohort(team_id=org.other_team.pk), today=today)
    assert set(by_team["client_id"]) == {c.pk for c in cohorts["comparison"]}
    by_program = selectors.cohort_members(organisation_id=org.organisation.pk, cohort=selectors.Cohort(program="act"), today=today)
    assert set(by_program["client_id"]) == {c.pk for c in cohorts["peer"]} | {org.client.pk}
    dated = selectors.cohort_members(organisation_id=org.organisation.pk, today=today,
                                     cohort=selectors.Cohort(start=cohorts["index"] + dt.timedelta(days=1)))
    assert set(dated["client_id"]) == {org.client.pk}  # the fixture's match started 30 days ago
    cohorts["peer"][0].date_of_birth = cohorts["index"] - dt.timedelta(days=int(30.5 * 365.25))
    cohorts["peer"][0].save()
    aged = selectors.cohort_members(organisation_id=org.organisation.pk, today=today, cohort=selectors.Cohort(age_min=30, age_max=30))
    assert set(aged["client_id"]) == {cohorts["peer"][0].pk}
    cohorts["peer"][1].language = "es"
    cohorts["peer"][1].save()
    spanish = selectors.cohort_members(organisation_id=org.organisation.pk, today=today, cohort=selectors.Cohort(language="es"))
    assert set(spanish["client_id"]) == {cohorts["peer"][1].pk}


def test_datasets_time_to_event_and_inpatient_days(world):
    org = world.a
    cohorts = build_cohorts(org, n_peer=12, n_comparison=12, index_days_ago=200, peer_readmit_days=[20], comparison_readmit_days=[50, 100])
    # A stay across the index date: 10 days before, 5 after.
    index = cohorts["index"]
    ServiceEvent.objects.create(organisation=org.organisation, client=cohorts["peer"][1], kind="admission",
                                occurred_on=index - dt.timedelta(days=10), ended_on=index + dt.timedelta(days=5),
                                recorded_by=org.users["clinician"])
    ServiceEvent.objects.create(organisation=org.organisation, client=cohorts["peer"][1], kind="emergency",
                                occurred_on=index - dt.timedelta(days=3), recorded_by=org.users["clinician"])
    data = selectors.build_datasets(organisation_id=org.organisation.pk, cohort=selectors.Cohort(program="", team_id=None))
    km = data["km"]
    code = {c.pk: selectors.pseudonym(org.organisation.pk, c.pk) for c in cohorts["peer"] + cohorts["comparison"]}
    row = km[km["client_id"] == code[cohorts["peer"][0].pk]].iloc[0]
    assert (row["group"], row["time_days"], row["event"]) == ("peer", 20.0, 1)
    row = km[km["client_id"] == code[cohorts["peer"][2].pk]].iloc[0]
    assert (row["time_days"], row["event"]) == (200.0, 0)
    row = km[km["client_id"] == code[cohorts["comparison"][1].pk]].iloc[0]
    assert (row["group"], row["time_days"], row["event"]) == ("comparison", 100.0, 1)
    cost = data["cost"].set_index("client_id")
    # pre: 30-day stay ending 10 days before + 10 days of the stay across the index; post: 5 days.
    assert cost.loc[code[cohorts["peer"][1].pk], "inpatient_days_pre"] == 40.0
    assert cost.loc[code[cohorts["peer"][1].pk], "inpatient_days_post"] == 5.0
    assert cost.loc[code[cohorts["peer"][1].pk], "ed_visits_pre"] == 1.0
    assert cost.loc[code[cohorts["comparison"][0].pk], "inpatient_days_post"] == 5.0
    did = data["did"].set_index(["client_id", "period"])
    assert did.loc[(code[cohorts["peer"][1].pk], "pre"), "outcome"] == pytest.approx(40 / (365 / (365.25 / 12)), abs=1e-4)
    assert did.loc[(code[cohorts["peer"][1].pk], "post"), "outcome"] == pytest.approx(5 / (200 / (365.25 / 12)), abs=1e-4)
    # De-identified: no internal ids, names or dates in any dataset.
    for frame in data.values():
        assert not frame.empty or frame is data["prepost"]
        text = frame.to_csv()
        assert "Peerclient" not in text and str(index) not in text
    assert set(km["client_id"]) >= set(code.values()) and all(len(c) == 17 for c in km["client_id"])


def test_evaluation_suppresses_small_cells_and_is_audited(world):
    org = world.a
    build_cohorts(org, n_peer=12, n_comparison=12, peer_readmit_days=[20, 30], comparison_readmit_days=list(range(10, 130, 10)))
    results, datasets = selectors.evaluation_for(org.users["evaluator"], cohort=selectors.Cohort())
    assert results["cohort"]["n"] == {"peer": 13, "comparison": 12}
    assert results["km"]["groups"]["peer"]["events"] is None  # 2 people: hidden
    assert results["km"]["groups"]["comparison"]["events"] == 12
    assert results["km"]["logrank"]["statistic"] > 0
    assert selectors.dataset_allowed(datasets)
    audit = AuditEvent.objects.get(target_type="outcomes.evaluation")
    assert (audit.action, audit.actor_id, audit.detail["clients"]) == ("view", org.users["evaluator"].pk, 25)
    small, small_data = selectors.evaluation_for(world.b.users["leader"], cohort=selectors.Cohort())
    assert small["km"]["groups"]["peer"] == {"n": None, "suppressed": True}
    assert not selectors.dataset_allowed(small_data)


@pytest.mark.django_db(transaction=True)
def test_parallel_peer_minutes_query_gives_the_same_datasets():
    """Outside a transaction on PostgreSQL the peer-minutes query runs on its own connection; the result
    must equal the sequential one (on SQLite both paths are sequential)."""
    from django.db import connection, transaction

    from peerpath.care.tests.factories import EncounterFactory
    from peerpath.testing.fixtures import build_org_world

    org = build_org_world("t")
    cohorts = build_cohorts(org, n_peer=3, n_comparison=2, peer_readmit_days=[15])
    for client in cohorts["peer"]:
        EncounterFactory(peer=org.users["peer"], clients=[client], duration_minutes=45)
    assert not connection.in_atomic_block
    parallel = selectors.build_datasets(organisation_id=org.organisation.pk, cohort=selectors.Cohort())
    with transaction.atomic():
        sequential = selectors.build_datasets(organisation_id=org.organisation.pk, cohort=selectors.Cohort())
    for kind in ("km", "did", "cost"):
        assert parallel[kind].equals(sequential[kind]), kind
    assert (parallel["cost"].loc[parallel["cost"]["group"] == "peer", "peer_hours"] > 0).all()


def test_prepost_pairs_first_intake_with_latest_later_score(world):
    """Pairs come from the measures app's completed administrations: first intake, latest later score."""
    from peerpath.measures.tests.factories import administration

    org = world.a
    cohorts = build_cohorts(org, n_peer=2, n_comparison=1)
    a, b = cohorts["peer"]
    c = cohorts["comparison"][0]
    rows = [
        (a, "phq9", "intake", "2026-01-01T10:00Z", 18),
        (a, "phq9", "followup", "2026-02-01T10:00Z", 12),
        (a, "phq9", "discharge", "2026-04-01T10:00Z", 7),
        (a, "phq9", "intake", "2026-03-01T10:00Z", 20),
        (b, "gad7", "intake", "2026-01-01T10:00Z", 11),
        (b, "qpr15", "followup", "2026-02-01T10:00Z", 30),
        (c, "gad7", "intake", "2026-01-01T10:00Z", 9),
        (c, "gad7", "followup", "2026-03-01T10:00Z", None),  # completed but not scorable: skipped
        (c, "gad7", "followup", "2026-02-01T10:00Z", 6),
        (c, "gad7", "followup", "2026-05-01T10:00Z", 2),
    ]
    for client, code, timepoint, at, score in rows:
        administration(org, client=client, code=code, timepoint=timepoint, status="completed", completed_at=at,
                       total_score=score)
    administration(org, client=c, code="gad7", timepoint="followup", status="completed",
                   completed_at="2026-06-01T10:00Z", total_score=1, is_active=False)  # withdrawn: ignored
    administration(world.b, client=world.b.client, code="gad7", timepoint="intake", status="completed",
                   completed_at="2026-01-01T10:00Z", total_score=3)  # another organisation

    data = selectors.build_datasets(organisation_id=org.organisation.pk, cohort=selectors.Cohort())["prepost"]

    code = {x.pk: selectors.pseudonym(org.organisation.pk, x.pk) for x in (a, b, c)}
    got = {(r.client_id, r.measure): (r.group, r.pre, r.post) for r in data.itertuples()}
    assert got == {
        (code[a.pk], "phq9"): ("peer", 18.0, 7.0),
        (code[c.pk], "gad7"): ("comparison", 9.0, 2.0),
    }


def test_peer_minutes_leave_out_deactivated_encounters():
    """Issue 11 point 4: the anti-join became a NOT IN list of the few deactivated encounters; their
    minutes still do not count, and clients with only active encounters keep theirs."""
    from peerpath.care.tests.factories import EncounterFactory
    from peerpath.testing.fixtures import build_org_world

    org = build_org_world("t")
    first, second = build_cohorts(org, n_peer=2, n_comparison=0)["peer"]
    EncounterFactory(peer=org.users["peer"], clients=[first], duration_minutes=45)
    gone = EncounterFactory(peer=org.users["peer"], clients=[first], duration_minutes=30)
    EncounterFactory(peer=org.users["peer"], clients=[second], duration_minutes=20)
    gone.is_active = False
    gone.save(update_fields=["is_active"])
    minutes = selectors._peer_minutes(org.organisation.pk)
    assert minutes.loc[[first.pk, second.pk]].to_dict() == {first.pk: 45.0, second.pk: 20.0}
