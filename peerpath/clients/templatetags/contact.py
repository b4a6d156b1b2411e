"""How to reach a client: ``tel:``/``sms:`` links for the recorded phone, the preferred method and
times, and whether the client agreed to texts (``sms:`` is offered only then)."""

from __future__ import annotations

from typing import Any

from django import template

from peerpath.lib.phone import dial

register = template.Library()
register.filter("dial", dial)


@register.inclusion_tag("clients/_contact.html")
def client_contact(client: Any, compact: bool = False) -> dict[str, Any]:
    return {"client": client, "compact": compact}
