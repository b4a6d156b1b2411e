"""The reads other apps may use (outcomes, interop): re-exported from the areas so callers depend on
the app, not on its inner layout."""

from peerpath.measures.administrations.selectors import (
    ANSWER_READERS,
    READ_ROLES,
    prepost_pairs,
    readable_clients,
    scored_administrations,
)
from peerpath.measures.instruments.selectors import instruments_for, questions

__all__ = ["ANSWER_READERS", "READ_ROLES", "instruments_for", "prepost_pairs", "questions", "readable_clients",
           "scored_administrations"]
