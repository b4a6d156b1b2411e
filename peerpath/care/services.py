"""Writes for encounters, recovery plans and team meetings."""

from __future__ import annotations

from collections.abc import Iterable


def peer_specific_minutes_for(activities: Iterable[str], duration_minutes: int) -> int:
    """Minutes of an encounter spent on peer-specific work, split evenly across its activities."""
    from peerpath.care.choices import PEER_SPECIFIC_ACTIVITIES

    acts = list(dict.fromkeys(activities))
    if not acts:
        return 0
    peer_specific = sum(1 for a in acts if a in PEER_SPECIFIC_ACTIVITIES)
    return round(duration_minutes * peer_specific / len(acts))
