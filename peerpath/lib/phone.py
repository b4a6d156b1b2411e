"""Phone numbers as links."""

from __future__ import annotations

from peerpath.lib.search import digits


def dial(phone: str) -> str:
    """The phone as a ``tel:``/``sms:`` URI part: digits, keeping a leading + (``(555) 013-4477`` → ``5550134477``)."""
    phone = (phone or "").strip()
    return ("+" if phone.startswith("+") else "") + digits(phone)
