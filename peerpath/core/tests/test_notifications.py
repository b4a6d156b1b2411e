"""Notifications live in core and are read in the reader's own language."""

from __future__ import annotations

import pytest
from django.utils.translation import gettext_lazy as _

from peerpath.core.models import Notification
from peerpath.core.notifications import (
    notification_kind,
    notifications_mark_read,
    notify,
    unread_count,
)

# A message core ships with a Spanish translation (core/locale/es).
notification_kind("test.audit_trail", _("Audit trail"))


def test_notification_is_rendered_in_the_readers_language(world, login):
    sender, reader = world.a.users["admin"], world.a.users["peer"]
    sender.language, reader.language = "en", "es"
    reader.save(update_fields=["language"])
    note = notify(recipient=reader, kind="test.audit_trail", organisation_id=reader.organisation_id, params={})
    assert note.message == "Audit trail"  # English copy kept for search
    assert Notification.objects.get(pk=note.pk).text == "Registro de auditoría"
    page = login(reader).get("/workforce/notifications/")
    assert "Registro de auditoría" in page.content.decode()


def test_notification_keeps_kind_params_and_target(world):
    notification_kind("test.client_named", _("%(client)s needs you"))
    peer = world.a.users["peer"]
    note = notify(recipient=peer, kind="test.client_named", organisation_id=peer.organisation_id,
                  params={"client": "J. D."}, link="/care/", target=world.a.referral)
    note.refresh_from_db()
    assert (note.kind, note.params, note.link, note.target_type, note.target_id, note.text) == (
        "test.client_named", {"client": "J. D."}, "/care/", "Referral", str(world.a.referral.pk), "J. D. needs you")


def test_notify_refuses_unknown_kinds_and_other_organisations(world):
    peer = world.a.users["peer"]
    with pytest.raises(ValueError, match="Unknown notification kind"):
        notify(recipient=peer, kind="nobody.declared", organisation_id=peer.organisation_id, params={})
    with pytest.raises(ValueError, match="never crosses organisations"):
        notify(recipient=peer, kind="test.audit_trail", organisation_id=world.b.organisation.pk, params={})
    assert Notification.objects.count() == 0


def test_unread_count_and_mark_read_are_the_readers_own(world):
    peer, other = world.a.users["peer"], world.a.users["supervisor"]
    for recipient in (peer, peer, other):
        notify(recipient=recipient, kind="test.audit_trail", organisation_id=recipient.organisation_id, params={})
    assert (unread_count(peer), unread_count(other)) == (2, 1)
    assert notifications_mark_read(actor=peer) == 2
    assert (unread_count(peer), unread_count(other)) == (0, 1)


def test_old_workforce_rows_survive_the_move(world):
    # Rows written as finished text before kinds existed still read as they were.
    peer = world.a.users["peer"]
    Notification.objects.create(organisation=world.a.organisation, recipient=peer, message="Old text")
    assert [n.text for n in Notification.objects.filter(recipient=peer)] == ["Old text"]
