from __future__ import annotations

import datetime as dt
from typing import Any

import factory
from django.utils import timezone

from peerpath.clients.tests.factories import ClientFactory, MatchFactory
from peerpath.outcomes.models import ComparisonEnrolment, ServiceEvent


class ServiceEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceEvent

    client = factory.SubFactory(ClientFactory)
    organisation = factory.SelfAttribute("client.organisation")
    kind = "emergency"
    occurred_on = dt.date(2026, 1, 5)
    recorded_by = None


def build_cohorts(org: Any, *, n_peer: int = 12, n_comparison: int = 12, index_days_ago: int = 200,
                  peer_readmit_days: list[int] | None = None, comparison_readmit_days: list[int] | None = None) -> dict[str, list]:
    """Peer clients (a match started ``index_days_ago``) and comparison clients (registered usual care from the
    same date), each with one admission ending 10 days before the index date; re-admissions after
    ``*_readmit_days`` days for the first clients of each group (stays of 5 days)."""
    today = timezone.localdate()
    index = today - dt.timedelta(days=index_days_ago)
    recorder = org.users["clinician"]
    peers, comparisons = [], []
    for i in range(n_peer):
        client = ClientFactory(team=org.team, first_name=f"Peerclient{i}", last_name="Cohort", record_number=f"P{i:04d}")
        MatchFactory(client=client, peer=org.users["peer"], started_on=index)
        peers.append(client)
    for i in range(n_comparison):
        client = ClientFactory(team=org.other_team, first_name=f"Usualcare{i}", last_name="Cohort", record_number=f"U{i:04d}")
        ComparisonEnrolment.objects.create(organisation=org.organisation, client=client, index_date=index)
        comparisons.append(client)
    for _group, clients, readmits in (("peer", peers, peer_readmit_days or []), ("comparison", comparisons, comparison_readmit_days or [])):
        for i, client in enumerate(clients):
            ServiceEvent.objects.create(organisation=org.organisation, client=client, kind="admission",
                                        occurred_on=index - dt.timedelta(days=40), ended_on=index - dt.timedelta(days=10),
                                        recorded_by=recorder)
            if i < len(readmits):
                admitted = index + dt.timedelta(days=readmits[i])
                ServiceEvent.objects.create(organisation=org.organisation, client=client, kind="admission",
                                            occurred_on=admitted, ended_on=admitted + dt.timedelta(days=5), recorded_by=recorder)
    return {"peer": peers, "comparison": comparisons, "index": index}
