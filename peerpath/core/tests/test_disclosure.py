"""The disclosure-control rules: no count under the threshold can be shown or worked out."""

from django.test import override_settings

from peerpath.core import disclosure


def test_thresholds_are_settings_with_documented_defaults():
    with override_settings():
        from django.conf import settings

        for name in ("PEERPATH_MIN_CELL_CLIENTS", "PEERPATH_MIN_CELL_SIZE", "PEERPATH_MIN_CELL_STAFF"):
            if hasattr(settings, name):
                delattr(settings, name)
        assert disclosure.min_cell_clients() == disclosure.DEFAULT_MIN_CELL_CLIENTS == 11
        assert disclosure.min_cell_staff() == disclosure.DEFAULT_MIN_CELL_STAFF == 5
    with override_settings(PEERPATH_MIN_CELL_CLIENTS=20, PEERPATH_MIN_CELL_STAFF=7):
        assert (disclosure.min_cell_clients(), disclosure.min_cell_staff()) == (20, 7)


def test_primary_suppression_keeps_zero_and_hides_one_to_threshold_minus_one():
    assert [disclosure.count(n, 11) for n in (0, 1, 10, 11)] == [0, None, None, 11]


def test_eligible_minus_at_risk_cannot_give_the_hidden_count():
    """The issue's example: 58 eligible, 53 still at risk → 5 re-admitted, hidden; 53 must go too."""
    cells = {"eligible": 58, "readmitted": 5, "at_risk": 53}
    shown = disclosure.protect(cells, [("eligible", "readmitted", "at_risk")], 11)
    assert shown["readmitted"] is None
    assert shown["at_risk"] is None and shown["eligible"] == 58


def test_derived_cells_are_protected_and_chains_are_followed():
    # n = 40 shown; events (30) would be shown, so no_events = 10 could be worked out: hide events.
    cells = {"n": 40, "events": 30, "no_events": 10}
    shown = disclosure.protect(cells, [("n", "events", "no_events")], 11, shown=["n", "events"])
    assert shown == {"n": 40, "events": None}
    # at risk 100, 95, 60: 5 left between the first two times; hiding 95 leaves 100 − 60 = 40 (fine).
    cells = {"r0": 100, "r1": 95, "r2": 60, "left0": 5, "left1": 35}
    shown = disclosure.protect(cells, [("r0", "r1", "left0"), ("r1", "r2", "left1")], 11, shown=["r0", "r1", "r2"])
    assert shown == {"r0": 100, "r1": None, "r2": 60}


def test_two_small_hidden_cells_whose_sum_is_small_are_protected_by_a_third():
    cells = {"total": 30, "a": 3, "b": 4, "c": 23}
    shown = disclosure.protect(cells, [("total", "a", "b", "c")], 11)
    assert shown["a"] is None and shown["b"] is None
    assert shown["c"] is None  # else a + b = 7 would follow
    assert shown["total"] == 30


def test_curve_steps_need_threshold_events_and_threshold_at_risk():
    times = [1, 2, 3, 4, 5, 6]
    events = [7, 5, 2, 11, 1, 3]
    at_risk = [297, 290, 285, 283, 12, 10]
    assert disclosure.coarsen_steps(times, events, at_risk, 11) == [2, 4]
    assert disclosure.coarsen_steps(times, events, at_risk, 1) == [1, 2, 3, 4, 5, 6]


def test_curve_checkpoints_are_exact_by_merging_the_last_step_forward():
    times, at_risk = [1, 2, 3, 10, 20], [300, 290, 280, 270, 265]
    # 12 events by day 2 (kept), 3 more on day 3: the day-5 checkpoint takes day 2's step forward (15 events).
    assert disclosure.coarsen_steps(times, [6, 6, 3, 0, 0], at_risk, 11, checkpoints=[5]) == [5]
    # No event since the kept step: the checkpoint is simply added.
    assert disclosure.coarsen_steps(times, [6, 6, 0, 0, 0], at_risk, 11, checkpoints=[5]) == [2, 5]
    # Too few events since the last checkpoint: the checkpoint is withheld.
    assert disclosure.coarsen_steps(times, [6, 6, 0, 4, 0], at_risk, 11, checkpoints=[5, 15]) == [2, 5]
    assert disclosure.coarsen_steps(times, [1, 0, 0, 0, 0], at_risk, 11, checkpoints=[5]) == []
