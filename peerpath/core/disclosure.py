"""Disclosure control: the one place that decides which aggregates about people may be shown.

Every page, PDF, API answer and download that shows counts of clients (the evaluation) or of staff
(pulse surveys, readiness, the boundary-consultation trend) passes its figures through here, so one rule
holds everywhere:

* **Primary suppression**: a count of 1 to threshold − 1 people is hidden (0 is shown: it names nobody).
* **Complementary suppression** (``protect``): figures tied by an identity (a total and its parts, eligible
  = re-admitted + not re-admitted, numbers at risk at two times and the people who left between them) are
  a *relation*; in every relation either no cell is hidden, or at least two are and the hidden cells add up
  to at least the threshold — so no hidden cell follows from the shown ones by subtraction.
* **Curves** (``coarsen_steps``): a survival curve is shown only at steps where at least the threshold are
  at risk and at least the threshold events happened since the last shown step, so a step × n or
  (1 − S(t)) × n never gives a count below the threshold.

The thresholds are Django settings with documented defaults, read only here:
``PEERPATH_MIN_CELL_CLIENTS`` (default 11, client data; the older ``PEERPATH_MIN_CELL_SIZE`` is honoured)
and ``PEERPATH_MIN_CELL_STAFF`` (default 5, staff surveys, where teams are small and the data less sensitive).

This module imports no domain app: it works on plain numbers.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.conf import settings

DEFAULT_MIN_CELL_CLIENTS = 11
DEFAULT_MIN_CELL_STAFF = 5


def min_cell_clients() -> int:
    """The smallest count of clients shown (setting ``PEERPATH_MIN_CELL_CLIENTS``, default 11)."""
    value: Any = getattr(settings, "PEERPATH_MIN_CELL_CLIENTS", None)
    if value is None:
        value = getattr(settings, "PEERPATH_MIN_CELL_SIZE", DEFAULT_MIN_CELL_CLIENTS)
    return max(int(value), 1)


def min_cell_staff() -> int:
    """The smallest count of staff shown (setting ``PEERPATH_MIN_CELL_STAFF``, default 5)."""
    return max(int(getattr(settings, "PEERPATH_MIN_CELL_STAFF", DEFAULT_MIN_CELL_STAFF)), 1)


def is_small(n: int, threshold: int) -> bool:
    return 0 < n < threshold


def count(n: int, threshold: int) -> int | None:
    """Primary suppression: the count, or None when it is 1..threshold − 1."""
    return None if is_small(int(n), threshold) else int(n)


def _known(cells: Mapping[str, int], relations: list[tuple[str, ...]], shown: set[str]) -> dict[str, tuple[str, ...] | None]:
    """What a reader can work out: the shown cells, then any cell that is the only unknown of a relation
    (mapped to the relation that gives it away)."""
    known: dict[str, tuple[str, ...] | None] = dict.fromkeys(shown)
    changed = True
    while changed:
        changed = False
        for relation in relations:
            unknown = [c for c in relation if c not in known]
            if len(unknown) == 1:
                known[unknown[0]] = relation
                changed = True
    return known


def _violation(cells: Mapping[str, int], relations: list[tuple[str, ...]], shown: set[str],
               threshold: int) -> tuple[str, ...] | None:
    """A relation through which a small count can be worked out, or None."""
    known = _known(cells, relations, shown)
    for cell, source in known.items():
        if source is not None and is_small(cells[cell], threshold):
            return source
    for relation in relations:
        rest = [c for c in relation if c not in known]
        if len(rest) >= 2 and is_small(sum(cells[c] for c in rest), threshold):
            return relation  # the hidden cells' sum is itself a small count
    return None


def protect(cells: Mapping[str, int], relations: Iterable[Sequence[str]], threshold: int,
            *, shown: Iterable[str] | None = None, keep: Iterable[str] = ()) -> dict[str, int | None]:
    """Primary and complementary suppression of a table of counts.

    ``cells`` holds every count, including derived ones a reader never sees directly (e.g. eligible −
    re-admitted); ``shown`` names the cells a reader would see (default: all). Each relation lists the cells
    tied by one additive identity. A reader who knows the shown cells can solve any relation with one unknown,
    and knows the sum of the unknowns of any other; cells are hidden (smallest first) until no small count can
    be worked out that way. Cells named in ``keep`` (a group's size) are hidden only when nothing else helps.
    Returns the shown cells, hidden ones as None."""
    last = set(keep)
    visible = set(cells) if shown is None else set(shown)
    ties = [tuple(r) for r in relations]
    show = {c for c in visible if not is_small(cells[c], threshold)}
    while (relation := _violation(cells, ties, show, threshold)) is not None:
        candidates = sorted((c for c in relation if c in show), key=lambda c: (c in last, cells[c] == 0, cells[c], c))
        if not candidates:  # the relation is solved through others: hide every shown cell it touches
            touching = {c for r in ties if set(r) & set(relation) for c in r} & show
            candidates = sorted(touching, key=lambda c: (c in last, cells[c] == 0, cells[c], c))
            if not candidates:
                break
        show.discard(candidates[0])
    return {name: (int(cells[name]) if name in show else None) for name in cells if name in visible}


def coarsen_steps(times: Sequence[float], events: Sequence[int], at_risk: Sequence[int], threshold: int,
                  checkpoints: Iterable[float] = ()) -> list[float]:
    """The times at which a survival curve may be shown.

    ``times`` are the curve's event/censoring times in order, ``events`` the events at each, ``at_risk`` the
    people at risk just before each. A step is kept when at least ``threshold`` are at risk there and at least
    ``threshold`` events happened since the last kept step (greedy, from time 0); the curve stops at the first
    time fewer than ``threshold`` are at risk. Between kept times the curve is drawn flat at the last kept
    value, so every visible drop stands for at least ``threshold`` events.

    ``checkpoints`` (e.g. 30, 90 and 365 days) are times at which an exact value is wanted: a checkpoint is
    kept when no event happened since the last kept time, or by moving the last kept step (if it came after
    the previous checkpoint) forward to the checkpoint, which merges the few events in between into it."""
    kept: list[float] = []
    pending = 0
    since_checkpoint = 0  # kept steps since the last checkpoint
    stops = sorted(float(c) for c in checkpoints)

    def settle(point: float) -> None:
        nonlocal pending, since_checkpoint
        if pending == 0:
            kept.append(point)
        elif since_checkpoint:
            kept[-1] = point
            pending = 0
        since_checkpoint = 0

    for t, n_events, n_at_risk in zip(times, events, at_risk, strict=True):
        while stops and stops[0] < t:
            settle(stops.pop(0))
        if n_at_risk < threshold:
            return kept
        pending += int(n_events)
        if pending >= threshold:
            kept.append(float(t))
            pending = 0
            since_checkpoint += 1
        while stops and stops[0] == t:
            settle(stops.pop(0))
    return kept
