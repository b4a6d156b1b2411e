"""Statistics checked against published values and the libraries' documented examples (3+ decimals)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from peerpath.outcomes import analysis

# Freireich et al. (1963) 6-MP leukaemia trial (Gehan 1965), the classic Kaplan–Meier / log-rank example.
# Published: 6-MP KM estimates 0.857 (t=6), 0.807 (7), 0.753 (10), 0.690 (13), 0.627 (16), 0.538 (22),
# 0.448 (23); placebo median 8 weeks; log-rank chi-square 16.79 (1 df).
T_6MP = [6, 6, 6, 6, 7, 9, 10, 10, 11, 13, 16, 17, 19, 20, 22, 23, 25, 32, 32, 34, 35]
E_6MP = [1, 1, 1, 0, 1, 0, 1, 0, 0, 1, 1, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0]
T_PLACEBO = [1, 1, 2, 2, 3, 4, 4, 5, 5, 8, 8, 8, 8, 11, 11, 12, 12, 15, 17, 22, 23]


def gehan_frame() -> pd.DataFrame:
    rows = [(f"m{i}", "peer", t, e) for i, (t, e) in enumerate(zip(T_6MP, E_6MP, strict=False))]
    rows += [(f"p{i}", "comparison", t, 1) for i, t in enumerate(T_PLACEBO)]
    return pd.DataFrame(rows, columns=list(analysis.COLUMNS["km"]))


def test_kaplan_meier_matches_gehan_published_values():
    result = analysis.km_analysis(gehan_frame(), min_cell=1)
    curve = {t: s for t, s, _lo, _hi in result["groups"]["peer"]["curve"]}
    for t, published in [(6, 0.857), (7, 0.807), (10, 0.753), (13, 0.690), (16, 0.627), (22, 0.538), (23, 0.448)]:
        assert curve[t] == pytest.approx(published, abs=5e-4)
    assert result["groups"]["comparison"]["median_days"] == 8.0
    assert result["logrank"]["statistic"] == pytest.approx(16.79, abs=5e-3)
    assert result["groups"]["peer"]["events"] == 9
    assert result["groups"]["peer"]["at_risk"][0] == 21


def test_kaplan_meier_confidence_interval_matches_lifelines_documented_fit():
    from lifelines import KaplanMeierFitter
    from lifelines.datasets import load_waltons

    waltons = load_waltons()
    frame = pd.DataFrame({
        "client_id": [str(i) for i in range(len(waltons))],
        "group": np.where(waltons["group"] == "miR-137", "peer", "comparison"),
        "time_days": waltons["T"].astype(float), "event": waltons["E"].astype(int),
    })
    result = analysis.km_analysis(frame, min_cell=11)
    control = waltons[waltons["group"] == "control"]
    kmf = KaplanMeierFitter().fit(control["T"], control["E"])
    # lifelines' documented example: the median of the whole waltons sample is 56 days.
    assert KaplanMeierFitter().fit(waltons["T"], waltons["E"]).median_survival_time_ == 56.0
    assert result["groups"]["comparison"]["median_days"] == kmf.median_survival_time_
    ci = kmf.confidence_interval_survival_function_
    t, s, lo, hi = result["groups"]["comparison"]["curve"][5]
    assert s == pytest.approx(kmf.survival_function_.loc[t].iloc[0], abs=1e-4)
    assert (lo, hi) == pytest.approx((ci.loc[t].iloc[0], ci.loc[t].iloc[1]), abs=1e-4)
    # lifelines docs: logrank_test on the waltons groups gives a test statistic of 122.25.
    assert result["logrank"]["statistic"] == pytest.approx(122.25, abs=5e-3)


def test_horizon_rates_and_small_cells_are_suppressed():
    rows = [(str(i), "peer", 400.0, 0) for i in range(30)] + [(f"x{i}", "peer", 20.0, 1) for i in range(3)]
    rows += [(f"c{i}", "comparison", 5.0, 1) for i in range(5)]
    result = analysis.km_analysis(pd.DataFrame(rows, columns=list(analysis.COLUMNS["km"])), min_cell=11)
    peer = result["groups"]["peer"]
    assert peer["n"] == 33
    assert peer["events"] is None  # 3 people: suppressed
    assert peer["horizons"]["30"]["readmitted"] is None and peer["horizons"]["30"]["crude_rate"] is None
    assert result["groups"]["comparison"] == {"n": None, "suppressed": True}
    assert result["logrank"] is None


# R's documented example t.test(extra ~ group, data = sleep, paired = TRUE) (Student 1908):
# mean difference 1.58, t = 4.0621, df = 9, p = 0.002833, 95% CI 0.7001142 to 2.4598858.
SLEEP_1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0]
SLEEP_2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4]


def test_prepost_matches_published_paired_t_test():
    frame = pd.DataFrame([(str(i), "peer", "sleep", a, b) for i, (a, b) in enumerate(zip(SLEEP_1, SLEEP_2, strict=False))],
                         columns=list(analysis.COLUMNS["prepost"]))
    entry = analysis.prepost_analysis(frame, min_cell=1)["measures"][0]
    assert entry["n"] == 10
    assert entry["mean_change"] == pytest.approx(1.58, abs=5e-4)
    assert entry["t"] == pytest.approx(4.0621, abs=5e-4)
    assert entry["p_value"] == pytest.approx(0.002833, abs=5e-6)
    assert entry["ci"] == pytest.approx([0.7001, 2.4599], abs=5e-4)
    assert entry["effect_size_dz"] == pytest.approx(1.58 / np.std(np.subtract(SLEEP_2, SLEEP_1), ddof=1), abs=1e-4)
    assert entry["reliable_change"] is None  # no published reliability for "sleep"


def test_jacobson_truax_reliable_change():
    # Jacobson & Truax (1991): S_E = SD·sqrt(1 − r); S_diff = sqrt(2·S_E²). SD 7.5, r 0.88 → S_diff 3.674.
    assert analysis.reliable_change_sdiff(7.5, 0.88) == pytest.approx(3.674, abs=5e-4)
    pre = [20, 22, 18, 25, 19, 21, 23, 17, 24, 20, 22, 16]
    post = [8, 21, 17, 10, 19, 30, 22, 16, 12, 19, 21, 15]
    frame = pd.DataFrame([(str(i), "peer", "PHQ-9", a, b) for i, (a, b) in enumerate(zip(pre, post, strict=False))],
                         columns=list(analysis.COLUMNS["prepost"]))
    entry = analysis.prepost_analysis(frame, min_cell=1)["measures"][0]
    s_diff = np.sqrt(2) * np.std(pre, ddof=1) * np.sqrt(1 - 0.89)
    changes = np.subtract(post, pre)
    assert entry["reliable_change"]["s_diff"] == pytest.approx(s_diff, abs=1e-4)
    assert entry["reliable_change"]["improved"] == int((changes / s_diff < -1.96).sum()) == 3
    assert entry["reliable_change"]["deteriorated"] == 1
    assert entry["reliable_change"]["pct_improved"] == 25.0


def test_did_equals_cell_means_and_cluster_robust_se_by_hand():
    rng = np.random.default_rng(4)
    rows = []
    for i in range(40):
        group = "peer" if i < 20 else "comparison"
        base = rng.normal(2.0, 1.0)
        rows.append((str(i), group, "pre", base))
        rows.append((str(i), group, "post", base + (-1.0 if group == "peer" else -0.2) + rng.normal(0, 0.5)))
    frame = pd.DataFrame(rows, columns=list(analysis.COLUMNS["did"]))
    result = analysis.did_analysis(frame, min_cell=11)
    means = frame.groupby(["group", "period"])["outcome"].mean()
    expected = (means["peer", "post"] - means["peer", "pre"]) - (means["comparison", "post"] - means["comparison", "pre"])
    assert result["estimate"]["did"] == pytest.approx(expected, abs=1e-4)
    # CR1 sandwich by hand: (X'X)^-1 [Σ_g X_g' u_g u_g' X_g] (X'X)^-1 · G/(G−1) · (N−1)/(N−K)
    treated = (frame["group"] == "peer").astype(float).to_numpy()
    post = (frame["period"] == "post").astype(float).to_numpy()
    x = np.column_stack([np.ones(len(frame)), treated, post, treated * post])
    y = frame["outcome"].to_numpy()
    beta = np.linalg.lstsq(x, y, rcond=None)[0]
    u = y - x @ beta
    bread = np.linalg.inv(x.T @ x)
    meat = sum(np.outer(x[g].T @ u[g], x[g].T @ u[g]) for g in (frame["client_id"] == c for c in frame["client_id"].unique()))
    n, k, groups = len(frame), 4, 40
    cov = bread @ meat @ bread * groups / (groups - 1) * (n - 1) / (n - k)
    assert result["estimate"]["se"] == pytest.approx(np.sqrt(cov[3, 3]), abs=1e-4)
    assert result["estimate"]["ci"][0] < expected < result["estimate"]["ci"][1]
    assert result["cells"]["peer_pre"]["n"] == 20
    # Small-sample inference: t with (clusters − 1) df, not a normal z.
    from scipy import stats

    se, half = np.sqrt(cov[3, 3]), stats.t.ppf(0.975, groups - 1) * np.sqrt(cov[3, 3])
    assert result["estimate"]["df"] == 39
    assert result["estimate"]["ci"] == pytest.approx([expected - half, expected + half], abs=1e-4)
    assert result["estimate"]["p_value"] == pytest.approx(2 * stats.t.sf(abs(expected / se), groups - 1), rel=1e-3)


def test_cost_model_point_estimate_and_bootstrap_interval():
    rows = []
    for i in range(30):
        rows.append((f"p{i}", "peer", 1.0, 1.0, 10.0, 4.0, 2.0, 1.0, 20.0 + i % 3))
        rows.append((f"c{i}", "comparison", 1.0, 1.0, 10.0, 9.0 + i % 2, 2.0, 2.0, 0.0))
    frame = pd.DataFrame(rows, columns=list(analysis.COLUMNS["cost"]))
    result = analysis.cost_analysis(frame, inpatient_day_cost=1000, ed_visit_cost=500, peer_hour_cost=40)
    peer_change = -6 * 1000 - 500 + np.mean([20 + i % 3 for i in range(30)]) * 40
    comp_change = np.mean([(-1 + i % 2) * 1000 for i in range(30)])
    assert result["net_saving_per_person_year"] == pytest.approx(comp_change - peer_change, abs=0.01)
    low, high = result["ci"]
    assert low < result["net_saving_per_person_year"] < high
    again = analysis.cost_analysis(frame, inpatient_day_cost=1000, ed_visit_cost=500, peer_hour_cost=40)
    assert again["ci"] == result["ci"]  # fixed seed: reproducible


@pytest.mark.parametrize(("kind", "text", "expected"), [
    ("km", "client_id,group,time_days\n1,peer,4\n", "row 1, column 'event': required column is missing"),
    ("km", "client_id,group,time_days,event\n1,peer,4,1\n2,treated,5,0\n", "row 3, column 'group': 'treated' is not"),
    ("km", "client_id,group,time_days,event\n1,peer,abc,1\n", "row 2, column 'time_days': 'abc' is not a number"),
    ("km", "client_id,group,time_days,event\n1,peer,4,2\n", "row 2, column 'event': '2' is not 1"),
    ("km", "client_id,group,time_days,event\n1,peer,-4,1\n", "row 2, column 'time_days': '-4' is negative"),
    ("prepost", "client_id,group,measure,pre,post\n1,peer,,3,4\n", "row 2, column 'measure': empty"),
    ("did", "client_id,group,period,outcome\n1,peer,during,3\n", "row 2, column 'period': 'during' is not"),
    ("did", "client_id,group,period,outcome\n1,peer,pre,3\n1,peer,pre,4\n", "row 3, column 'client_id,period': duplicate"),
    ("km", "", "the file is empty"),
    ("km", "client_id,group,time_days,event\n", "no data rows"),
])
def test_bad_files_name_row_and_column(kind, text, expected):
    with pytest.raises(analysis.AnalysisInputError) as excinfo:
        analysis.read_dataset(kind, text if "\n" in text else __import__("io").StringIO(text))
    assert expected in str(excinfo.value)


def test_results_do_not_depend_on_row_order():
    rng = np.random.default_rng(7)
    did = pd.DataFrame([(f"c{i}", "peer" if i % 2 else "comparison", period, float(rng.gamma(1.0)))
                        for i in range(60) for period in ("pre", "post")], columns=list(analysis.COLUMNS["did"]))
    cost = pd.DataFrame([(f"c{i}", "peer" if i % 2 else "comparison", 1.0, 0.5, float(rng.integers(0, 30)),
                          float(rng.integers(0, 10)), 1.0, 0.0, float(rng.integers(0, 40))) for i in range(60)],
                        columns=list(analysis.COLUMNS["cost"]))
    shuffled = {k: f.sample(frac=1, random_state=3) for k, f in (("did", did), ("cost", cost))}
    assert analysis.did_analysis(did) == analysis.did_analysis(shuffled["did"])
    params = {"inpatient_day_cost": 1000.0, "ed_visit_cost": 500.0, "peer_hour_cost": 30.0}
    assert analysis.cost_analysis(cost, **params) == analysis.cost_analysis(shuffled["cost"], **params)
