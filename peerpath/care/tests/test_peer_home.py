"""The peer's home page: who today, who not seen for 14+ days, what is overdue."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from peerpath.care.tests.factories import GoalFactory, GoalStepFactory, RecoveryPlanFactory
from peerpath.clients.tests.factories import ClientFactory, MatchFactory


def _client(world, name):
    return ClientFactory(team=world.a.team, first_name=name, last_name="Home")


def test_home_sorts_the_caseload_into_what_to_do(world, login):
    peer = world.a.users["peer"]
    today = timezone.localdate()
    now = timezone.now()
    peer.matches.update(last_contact_at=now)  # the world's own client was seen today
    MatchFactory(peer=peer, client=_client(world, "Today"), next_contact_on=today, last_contact_at=now - timedelta(days=3))
    MatchFactory(peer=peer, client=_client(world, "Drifted"), last_contact_at=now - timedelta(days=20))
    MatchFactory(peer=peer, client=_client(world, "Recent"), last_contact_at=now - timedelta(days=10))
    MatchFactory(peer=peer, client=_client(world, "Missed"), next_contact_on=today - timedelta(days=2), last_contact_at=now - timedelta(days=5))
    stepped = _client(world, "Stepped")
    MatchFactory(peer=peer, client=stepped, last_contact_at=now)
    goal = GoalFactory(plan=RecoveryPlanFactory(client=stepped, written_with=peer))
    GoalStepFactory(goal=goal, description="Call the housing office", due_on=today - timedelta(days=1))
    GoalStepFactory(goal=goal, description="Already done", due_on=today - timedelta(days=1), done_on=today)
    # another peer's client must never show
    MatchFactory(peer=world.b.users["peer"], client=ClientFactory(team=world.b.team, first_name="Elsewhere"),
                 next_contact_on=today)

    response = login(peer).get("/care/")
    home = response.context["home"]
    assert [m.client.first_name for m in home.see_today] == ["Today"]
    assert [m.client.first_name for m in home.not_seen] == ["Drifted"]
    assert [m.client.first_name for m in home.overdue_contacts] == ["Missed"]
    assert [s.description for s in home.overdue_steps] == ["Call the housing office"]
    content = response.content.decode()
    assert "Elsewhere" not in content and "Already done" not in content


def test_home_page_query_count_does_not_grow_with_the_caseload(world, login, django_assert_max_num_queries):
    peer = world.a.users["peer"]
    today = timezone.localdate()
    for i in range(40):
        client = _client(world, f"C{i}")
        MatchFactory(peer=peer, client=client, next_contact_on=today if i % 2 else today - timedelta(days=1),
                     last_contact_at=timezone.now() - timedelta(days=30))
        plan = RecoveryPlanFactory(client=client, written_with=peer, review_on=today)
        GoalStepFactory(goal=GoalFactory(plan=plan), due_on=today - timedelta(days=3))
    http = login(peer)
    with django_assert_max_num_queries(14):
        assert http.get("/care/").status_code == 200


def test_home_links_go_to_the_client_record_and_the_encounter_form(world, login):
    from django.urls import reverse

    peer = world.a.users["peer"]
    client = _client(world, "Linked")
    MatchFactory(peer=peer, client=client, next_contact_on=timezone.localdate(), last_contact_at=None,
                 started_on=timezone.localdate() - timedelta(days=40))

    content = login(peer).get("/care/").content.decode()

    assert f'href="{reverse("clients:client_detail", args=[client.pk])}"' in content
    assert f'href="{reverse("care:encounter_create")}?client={client.pk}"' in content


def test_home_lists_never_contacted_clients_first_among_the_not_seen(world, login):
    peer = world.a.users["peer"]
    now = timezone.now()
    peer.matches.update(last_contact_at=now)
    MatchFactory(peer=peer, client=_client(world, "Older"), last_contact_at=now - timedelta(days=30))
    MatchFactory(peer=peer, client=_client(world, "Never"), last_contact_at=None, started_on=timezone.localdate() - timedelta(days=60))
    MatchFactory(peer=peer, client=_client(world, "Newer"), last_contact_at=now - timedelta(days=20))

    home = login(peer).get("/care/").context["home"]

    assert [m.client.first_name for m in home.not_seen] == ["Never", "Older", "Newer"]


def test_home_reads_the_caseload_once(world, login):
    peer = world.a.users["peer"]
    for i in range(5):
        client = _client(world, f"Q{i}")
        MatchFactory(peer=peer, client=client)
        GoalStepFactory(goal=GoalFactory(plan=RecoveryPlanFactory(client=client, written_with=peer,
                                                                  review_on=timezone.localdate())),
                        due_on=timezone.localdate() - timedelta(days=1))
    http = login(peer)
    http.get("/care/")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert http.get("/care/").status_code == 200
    caseload_reads = [q["sql"] for q in queries.captured_queries if 'FROM "clients_match"' in q["sql"]]
    assert len(caseload_reads) == 1
