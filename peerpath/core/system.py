"""The organisation's system account: the actor of imports, scheduled jobs and integrations.

Work nobody signed in to do still has an actor, so policies and the audit trail treat it like any
other write (``actor=None`` special cases are gone). The account has the role ``system``, no
usable password and no API token: it cannot sign in, ``@allow`` refuses it on every page, and it
acts only where a policy names ``Role.SYSTEM``.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model

from peerpath.core.choices import Role


def system_username(organisation_id: int) -> str:
    return f"system-org-{organisation_id}"


def system_actor(organisation_id: int) -> Any:
    """The organisation's system account (created on first use)."""
    staff_model = get_user_model()
    actor = staff_model.objects.filter(organisation_id=organisation_id, role=Role.SYSTEM).order_by("pk").first()
    if actor is None:
        actor, created = staff_model.objects.get_or_create(
            username=system_username(organisation_id),
            defaults={"organisation_id": organisation_id, "role": Role.SYSTEM, "first_name": "Peerpath",
                      "last_name": "(system)", "email": ""},
        )
        if created:
            actor.set_unusable_password()
            actor.save(update_fields=["password"])
    return actor


def is_system(user: Any) -> bool:
    return getattr(user, "role", None) == Role.SYSTEM
