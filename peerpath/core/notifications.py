"""Notifications: one model, ``notify()``, and text in the reader's language.

An app registers each kind of notification once, with its message as a lazy translation::

    notification_kind("referral.reassigned", _("%(client)s was reassigned to another peer."))

and sends it with ``notify(recipient=..., kind="referral.reassigned", organisation_id=...,
params={"client": "J. D."})``. The text is rendered when the recipient reads it, in the
recipient's language. Kinds are registered at import time of ``<app>/subscribers.py`` (imported
when Django starts), or of any module the sender imports. ``notify()`` is usually called from a
subscriber, i.e. after the writer's transaction committed.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone, translation

from peerpath.core.events import publish_on_commit
from peerpath.core.models import Notification

logger = logging.getLogger(__name__)

#: The kind of notifications written as finished text (before kinds existed).
MESSAGE_KIND = "message"
#: The ``params`` key holding the id of the client a notification names.
CLIENT_PARAM = "client_id"
_KINDS: dict[str, Any] = {}

__all__ = ["Notification", "notification_kind", "notify", "render", "notifications_for", "notification_client_ids", "unread_count",
           "notifications_mark_read"]


def notification_kind(kind: str, template: Any) -> None:
    """Declare a kind of notification; ``template`` is a lazy translation with ``%(name)s`` params."""
    _KINDS[kind] = template


def render(notification: Notification, language: str | None = None) -> str:
    """The notification's text in ``language`` (default: the recipient's own language)."""
    template = _KINDS.get(notification.kind)
    if template is None:
        return notification.message
    if language is None:
        recipient = notification.recipient if notification.recipient_id else None
        language = getattr(recipient, "language", None) or translation.get_language() or "en"
    with translation.override(language):
        try:
            return str(template) % notification.params
        except (KeyError, TypeError, ValueError):
            logger.warning("Notification %s: params do not fit kind %s", notification.pk, notification.kind)
            return notification.message


def notify(*, recipient: Any, kind: str, organisation_id: int, params: dict[str, Any], link: str = "",
           target: Any = None, client: Any = None) -> Notification:
    """Write one notification for ``recipient`` (a staff member of ``organisation_id``).

    ``client``: the client the text names (their name is in ``params``); kept as ``client_id`` so that
    showing the notification is audited for that client (``notification_client_ids``)."""
    if client is not None:
        params = {**params, CLIENT_PARAM: getattr(client, "pk", client)}
    recipient_org = getattr(recipient, "organisation_id", organisation_id)
    if recipient_org != organisation_id:
        raise ValueError("A notification never crosses organisations.")
    notification = Notification(
        organisation_id=organisation_id, recipient_id=getattr(recipient, "pk", recipient), kind=kind,
        params={key: str(value) for key, value in params.items()}, link=link[:200],
        target_type=type(target).__name__ if target is not None else "",
        target_id=str(getattr(target, "pk", "")) if target is not None else "",
    )
    if kind == MESSAGE_KIND:
        notification.message = str(params.get("message", ""))[:300]
    elif kind in _KINDS:
        notification.message = render(notification, "en")[:300]
    else:
        raise ValueError(f"Unknown notification kind {kind!r}: declare it with notification_kind()")
    notification.save()
    publish_on_commit("notification.created", organisation_id,
                      {"notification_id": notification.pk, "recipient_id": notification.recipient_id})
    return notification


def notification_client_ids(notifications: Iterable[Notification]) -> list[int]:
    """The clients named by these notifications, for the audit event of the list that shows them."""
    return sorted({int(n.params[CLIENT_PARAM]) for n in notifications
                   if str(n.params.get(CLIENT_PARAM, "")).isdigit()})


def notifications_for(user: Any) -> QuerySet[Notification]:
    """The user's own active notifications, newest first."""
    return Notification.objects.filter(recipient_id=user.pk, organisation_id=user.organisation_id, is_active=True)


def unread_count(user: Any) -> int:
    return notifications_for(user).filter(read_at__isnull=True).count()


def notifications_mark_read(*, actor: Any) -> int:
    """Mark all of the actor's unread notifications read; returns how many."""
    return notifications_for(actor).filter(read_at__isnull=True).update(read_at=timezone.now())
