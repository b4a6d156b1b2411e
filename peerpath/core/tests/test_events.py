"""Events are delivered after commit; a failing subscriber loses no write and stops no other."""

from __future__ import annotations

import pytest
from django.db import transaction

from peerpath.core import events
from peerpath.core.models import Team
from peerpath.core.tests.factories import TeamFactory


@pytest.fixture
def received():
    seen: list[events.Event] = []
    registered: list = []

    def listen(name, fn=None):
        fn = fn or seen.append
        events.subscriber(name)(fn)
        registered.append((name, fn))
        return fn

    yield seen, listen
    for name, fn in registered:
        events.unsubscribe(name, fn)


def test_event_is_delivered_only_after_the_transaction_commits(world, received, django_capture_on_commit_callbacks):
    seen, listen = received
    listen("team.renamed")
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            events.publish_on_commit("team.renamed", world.a.organisation.pk, {"team_id": world.a.team.pk})
            assert seen == []  # still inside the writer's transaction
    assert [(e.name, e.organisation_id, e.payload) for e in seen] == [
        ("team.renamed", world.a.organisation.pk, {"team_id": world.a.team.pk})]


def test_rolled_back_transaction_publishes_nothing(world, received, django_capture_on_commit_callbacks):
    seen, listen = received
    listen("team.renamed")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                TeamFactory(organisation=world.a.organisation, name="Rolled back")
                events.publish_on_commit("team.renamed", world.a.organisation.pk, {})
                raise RuntimeError("the write fails")
        except RuntimeError:
            pass
    assert (callbacks, seen) == ([], [])
    assert not Team.objects.filter(name="Rolled back").exists()


def test_failing_subscriber_loses_no_write_and_does_not_stop_the_others(world, received, caplog,
                                                                           django_capture_on_commit_callbacks):
    seen, listen = received

    def broken(event):
        TeamFactory(organisation=world.a.organisation, name="Half written by a subscriber")
        raise ValueError("subscriber bug")

    listen("team.created", broken)
    listen("team.created")
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            TeamFactory(organisation=world.a.organisation, name="The write")
            events.publish_on_commit("team.created", world.a.organisation.pk, {"name": "The write"})
    assert Team.objects.filter(name="The write").exists()
    assert not Team.objects.filter(name="Half written by a subscriber").exists()  # its own transaction rolled back
    assert [e.payload for e in seen] == [{"name": "The write"}]
    assert "Subscriber" in caplog.text and "team.created" in caplog.text


def test_wildcard_subscriber_sees_every_event(world, received, django_capture_on_commit_callbacks):
    seen, listen = received
    listen("*")
    with django_capture_on_commit_callbacks(execute=True):
        events.publish_on_commit("a.b", world.a.organisation.pk, {})
        events.publish_on_commit("c.d", world.a.organisation.pk, {})
    assert [e.name for e in seen] == ["a.b", "c.d"]


def test_subscribers_modules_are_discovered_at_start():
    import sys

    events.autodiscover()
    discovered = [name for name in sys.modules if name.startswith("peerpath.") and name.endswith(".subscribers")]
    assert "peerpath.core.subscribers" in discovered
