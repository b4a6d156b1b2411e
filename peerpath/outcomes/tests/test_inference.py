"""Issue 12 points 3–5 on the analysis functions: crude proportions only among people followed to the horizon,
exact intervals where Kaplan–Meier's band has no width, medians with their CI, d_z and d_av, one reliable-change
threshold for both groups, completeness."""

import numpy as np
import pandas as pd
import pytest
from lifelines import KaplanMeierFitter
from lifelines.utils import median_survival_times
from scipy import stats

from peerpath.outcomes import analysis

COLUMNS = ["client_id", "group", "time_days", "event", "followed_days"]


def _km(rows, min_cell=11):
    return analysis.km_analysis(pd.DataFrame(rows, columns=COLUMNS), min_cell=min_cell)


def test_crude_proportion_counts_only_people_followed_to_the_horizon():
    """27 people followed 100 days, none for 365: the crude share at 365 days is not '27 of 27'."""
    rows = [(f"p{i}", "peer", 10 + i, 1, 100) for i in range(15)] + [(f"q{i}", "peer", 100, 0, 100) for i in range(12)]
    rows += [(f"c{i}", "comparison", 400, 0, 400) for i in range(20)]
    peer = _km(rows)["groups"]["peer"]["horizons"]
    assert (peer["365"]["eligible"], peer["365"]["excluded"], peer["365"]["crude_rate"]) == (0, 27, None)
    assert (peer["90"]["eligible"], peer["90"]["readmitted"], peer["90"]["excluded"]) == (27, 15, 0)
    assert peer["90"]["crude_rate"] == pytest.approx(15 / 27, abs=1e-4)


def test_no_events_gives_an_exact_interval_and_everyone_readmitted_gives_100_percent_with_one():
    rows = [(f"p{i}", "peer", 400, 0, 400) for i in range(30)] + [(f"c{i}", "comparison", 5 + i, 1, 400) for i in range(30)]
    result = _km(rows)
    none = result["groups"]["peer"]["horizons"]["90"]
    exact = stats.binomtest(0, 30).proportion_ci(method="exact")
    assert none["km_readmitted"] == 0.0 and none["km_ci"] == [0.0, pytest.approx(exact.high, abs=1e-4)]
    everyone = result["groups"]["comparison"]["horizons"]["365"]
    exact = stats.binomtest(30, 30).proportion_ci(method="exact")
    assert everyone["km_readmitted"] == 1.0
    assert everyone["km_ci"] == [pytest.approx(exact.low, abs=1e-4), 1.0]  # not 100% (100%–100%)


def test_an_exact_bound_never_gives_back_a_hidden_number_at_risk():
    """No re-admissions and 4 people still followed at 365 days: 1 − 0.025^(1/4) would give the 4 back."""
    rows = [(f"p{i}", "peer", 200, 0, 200) for i in range(26)] + [(f"q{i}", "peer", 400, 0, 400) for i in range(4)]
    rows += [(f"c{i}", "comparison", 400, 0, 400) for i in range(20)]
    peer = _km(rows)["groups"]["peer"]
    assert peer["at_risk"][365] is None
    assert peer["horizons"]["365"]["km_ci"] is None


def test_median_with_its_confidence_interval_from_lifelines():
    rng = np.random.default_rng(2)
    times = np.round(rng.exponential(120, 80)) + 1
    rows = [(f"p{i}", "peer", t, 1, 900) for i, t in enumerate(times)] + [(f"c{i}", "comparison", 900, 0, 900) for i in range(20)]
    peer = _km(rows)["groups"]["peer"]
    kmf = KaplanMeierFitter().fit(times, np.ones(80))
    low, high = median_survival_times(kmf.confidence_interval_).iloc[0]
    assert peer["median_days"] == kmf.median_survival_time_
    assert peer["median_ci"] == [low, high]


def test_effect_sizes_one_reliable_change_threshold_and_completeness():
    rng = np.random.default_rng(9)
    rows = []
    for group, spread, n in (("peer", 6.0, 40), ("comparison", 3.0, 30)):
        pre = np.clip(np.round(rng.normal(16, spread, n)), 0, 27)
        post = np.clip(pre - np.round(rng.normal(4, 3, n)), 0, 27)
        rows += [(f"{group}{i}", group, "phq9", a, b) for i, (a, b) in enumerate(zip(pre, post, strict=True))]
    frame = pd.DataFrame(rows, columns=list(analysis.COLUMNS["prepost"]))
    entries = {m["group"]: m for m in analysis.prepost_analysis(frame, min_cell=11, eligible={"peer": 120, "comparison": 90})["measures"]}
    sd_pooled = np.std(frame["pre"], ddof=1)
    for group, entry in entries.items():
        part = frame[frame["group"] == group]
        change = part["post"] - part["pre"]
        assert entry["effect_size_dz"] == pytest.approx(change.mean() / change.std(ddof=1), abs=1e-4)
        d_av = change.mean() / ((part["pre"].std(ddof=1) + part["post"].std(ddof=1)) / 2)
        assert entry["effect_size_dav"] == pytest.approx(d_av, abs=1e-4)
        rc = entry["reliable_change"]
        assert rc["s_diff"] == pytest.approx(np.sqrt(2) * sd_pooled * np.sqrt(1 - 0.89), abs=1e-4)
        assert (rc["reliability"], rc["reliability_source"]) == (0.89, "Kroenke, Spitzer & Williams 2001 (alpha 0.89)")
    assert entries["peer"]["reliable_change"]["s_diff"] == entries["comparison"]["reliable_change"]["s_diff"]
    assert entries["peer"]["completeness"] == {"pairs": 40, "eligible_clients": 120, "pct": 33.3}
