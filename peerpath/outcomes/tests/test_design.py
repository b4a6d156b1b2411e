"""The evaluation's design: groups fixed at the index date (intention to treat), time from the index date."""

import datetime as dt

import pytest

from peerpath.clients.models import Referral
from peerpath.clients.tests.factories import ClientFactory, MatchFactory, ReferralFactory
from peerpath.outcomes import selectors
from peerpath.outcomes.models import ComparisonEnrolment, ServiceEvent

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 3, 1)


def _referred_and_matched(org, n):
    clients = []
    for i in range(n):
        client = ClientFactory(team=org.team, record_number=f"ITT{i}")
        ReferralFactory(client=client, referred_by=org.users["clinician"], status="assigned")
        Referral.objects.filter(client=client).update(created_at=dt.datetime(2026, 1, 1, 10, 0, tzinfo=dt.UTC))
        clients.append(client)
    return clients


def test_early_readmission_that_ends_the_match_stays_a_peer_event_timed_from_match_start(world):
    """The issue's example: three clients referred 2026-01-01 and matched 2026-01-11; A is admitted on 01-25
    and the match ends 01-26. Under intention to treat A is peer, 14 days from match start, an event."""
    org = world.a
    a, b, c = _referred_and_matched(org, 3)
    for client in (a, b, c):
        ended = dt.date(2026, 1, 26) if client is a else None
        MatchFactory(client=client, peer=org.users["peer"], started_on=dt.date(2026, 1, 11), ended_on=ended,
                     is_active=ended is None)
    Referral.objects.filter(client=a).update(status="closed", status_changed_at=dt.datetime(2026, 1, 26, 10, tzinfo=dt.UTC))
    ServiceEvent.objects.create(organisation=org.organisation, client=a, kind="admission", occurred_on=dt.date(2026, 1, 25),
                                ended_on=dt.date(2026, 2, 2), recorded_by=org.users["clinician"])
    km = selectors.build_datasets(organisation_id=org.organisation.pk, cohort=selectors.Cohort(), today=TODAY)["km"]
    rows = {r.client_id: (r.group, r.time_days, r.event) for r in km.itertuples()}
    code = {x: selectors.pseudonym(org.organisation.pk, x.pk) for x in (a, b, c)}
    assert rows[code[a]] == ("peer", 14.0, 1)
    assert rows[code[b]] == rows[code[c]] == ("peer", float((TODAY - dt.date(2026, 1, 11)).days), 0)


def test_waiting_time_belongs_to_neither_group(world):
    """A referred client still waiting for a match is in no group; one whose referral is declined joins the
    comparison group from the decision, not from the referral; one enrolled as usual care and later matched
    stays comparison (first decision wins)."""
    org = world.a
    waiting, declined = _referred_and_matched(org, 2)
    Referral.objects.filter(client=declined).update(status="declined",
                                                    status_changed_at=dt.datetime(2026, 1, 20, 15, tzinfo=dt.UTC))
    ServiceEvent.objects.create(organisation=org.organisation, client=declined, kind="admission",
                                occurred_on=dt.date(2026, 1, 10), ended_on=dt.date(2026, 1, 15), recorded_by=org.users["clinician"])
    crossed = ClientFactory(team=org.team)
    ComparisonEnrolment.objects.create(organisation=org.organisation, client=crossed, index_date=dt.date(2026, 1, 5))
    MatchFactory(client=crossed, peer=org.users["peer"], started_on=dt.date(2026, 2, 1))
    members = selectors.cohort_members(organisation_id=org.organisation.pk, cohort=selectors.Cohort(), today=TODAY)
    got = {r.client_id: (r.group, r.index_date.date()) for r in members.itertuples()}
    assert waiting.pk not in got
    assert got[declined.pk] == ("comparison", dt.date(2026, 1, 20))
    assert got[crossed.pk] == ("comparison", dt.date(2026, 1, 5))
    km = selectors.build_datasets(organisation_id=org.organisation.pk, cohort=selectors.Cohort(), today=TODAY)["km"]
    row = km[km["client_id"] == selectors.pseudonym(org.organisation.pk, declined.pk)].iloc[0]
    # The admission while waiting is before the index date: history, not an outcome.
    assert (row["time_days"], row["event"]) == (float((TODAY - dt.date(2026, 1, 20)).days), 0)


def test_sex_and_diagnosis_group_reach_the_dataset_as_codes_where_recorded(world):
    """The time-to-event file carries sex and diagnosis group as the documented codes; empty = not recorded."""
    import math

    org = world.a
    recorded = ClientFactory(team=org.team, sex="male", diagnosis_group="substance")
    unrecorded = ClientFactory(team=org.team)
    for client in (recorded, unrecorded):
        MatchFactory(client=client, peer=org.users["peer"], started_on=dt.date(2026, 1, 11))
    km = selectors.build_datasets(organisation_id=org.organisation.pk, cohort=selectors.Cohort(), today=TODAY)["km"]
    rows = km.set_index("client_id")
    first = rows.loc[selectors.pseudonym(org.organisation.pk, recorded.pk)]
    assert (first["sex"], first["diagnosis_group"]) == (2.0, 5.0)  # male = 2, substance use = 5 (docs/outcomes.md)
    second = rows.loc[selectors.pseudonym(org.organisation.pk, unrecorded.pk)]
    assert math.isnan(second["sex"]) and math.isnan(second["diagnosis_group"])
