"""The workforce home, staff profiles, who may see whom, notices and background job runs (shared by every area)."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from peerpath.core.exceptions import NotAllowed, ServiceError
from peerpath.core.notifications import MESSAGE_KIND
from peerpath.core.notifications import notify as core_notify
from peerpath.workforce.models import (
    Notification,
)


def _require(actor: Any, roles: Iterable[str], message: str = "") -> None:
    if not actor.is_active or actor.role not in set(roles):
        raise NotAllowed(message or _("Your role cannot do this."))


def _same_org(actor: Any, obj: Any) -> None:
    if obj.organisation_id != actor.organisation_id:
        raise NotAllowed


def _hours(value: Any, field: str) -> Decimal:
    try:
        hours = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise ServiceError(_("Enter a number of hours."), field=field) from None
    if not hours.is_finite() or hours < 0 or hours > 1000:
        raise ServiceError(_("Enter a number of hours between 0 and 1000."), field=field)
    return hours.quantize(Decimal("0.1"))


def notify(*, recipient: Any, message: str, link: str = "") -> Notification:
    # Transition: finished text goes through core's notify(); new code sends a declared kind.
    return core_notify(recipient=recipient, kind=MESSAGE_KIND, organisation_id=recipient.organisation_id,
                       params={"message": message}, link=link)
