"""The adjusted comparison: propensity weighting balances the measured baseline and moves the hazard ratio."""

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from lifelines import CoxPHFitter

from peerpath.outcomes import adjusted, survival


def confounded(n=400, seed=3):
    """Sicker people (more prior admissions) are less often in peer support and re-admitted sooner."""
    rng = np.random.default_rng(seed)
    prior = rng.poisson(1.5, n)
    peer = rng.random(n) < 1 / (1 + np.exp(-(0.8 - 0.6 * prior)))
    rate = 1 / 300 * np.exp(0.5 * prior) * np.where(peer, 0.7, 1.0)
    time = rng.exponential(1 / rate)
    followed = rng.uniform(100, 900, n)
    return pd.DataFrame({"client_id": [str(i) for i in range(n)], "group": np.where(peer, "peer", "comparison"),
                         "time_days": np.minimum(time, followed).round(), "event": (time < followed).astype(int),
                         "followed_days": followed.round(), "age": rng.integers(18, 80, n).astype(float),
                         "prior_admissions": prior.astype(float), "prior_inpatient_days": prior * 9.0,
                         "prior_ed_visits": rng.poisson(1, n).astype(float)})


def test_weighting_balances_baseline_and_reports_crude_and_adjusted_side_by_side():
    frame = confounded()
    result = adjusted.adjusted_analysis(frame, min_cell=11)
    crude = {row["covariate"]: row["smd"] for row in result["balance_crude"]}
    weighted = {row["covariate"]: row["smd"] for row in result["balance_weighted"]}
    assert crude["prior_admissions"] < -0.3  # the comparison group is sicker
    assert all(abs(v) < 0.1 for v in weighted.values())
    data = pd.DataFrame({"time": frame["time_days"], "event": frame["event"], "peer": (frame["group"] == "peer") * 1.0})
    reference = CoxPHFitter().fit(data, duration_col="time", event_col="event").summary.loc["peer", "exp(coef)"]
    assert result["hazard_ratio_crude"]["hr"] == pytest.approx(reference, abs=1e-3)
    # Adjusting for prior admissions moves the hazard ratio towards the simulated 0.7.
    assert abs(result["hazard_ratio_adjusted"]["hr"] - 0.7) < abs(result["hazard_ratio_crude"]["hr"] - 0.7)
    low, high = result["hazard_ratio_adjusted"]["ci"]
    assert low < result["hazard_ratio_adjusted"]["hr"] < high


def test_no_adjustment_without_baseline_columns_or_with_a_small_group():
    frame = confounded()
    assert adjusted.adjusted_analysis(frame[["client_id", "group", "time_days", "event"]]) is None
    assert survival.km_analysis(frame.iloc[:15], min_cell=11)["adjusted"] is None


SEX = adjusted.CATEGORICAL["sex"]
DIAGNOSIS = adjusted.CATEGORICAL["diagnosis_group"]


def with_sex_and_diagnosis(seed=5):
    """The confounded cohort plus sex and diagnosis group (codes as in the files; NaN = not recorded): the
    comparison group has more men and more psychosis, psychosis is re-admitted sooner. 'other' sex is rare (a
    handful in each group) and so is 'personality' in the peer group: both must be merged, never shown alone."""
    frame = confounded(n=600, seed=seed)
    rng = np.random.default_rng(seed)
    peer = (frame["group"] == "peer").to_numpy()
    n = len(frame)
    sex = np.where(rng.random(n) < np.where(peer, 0.55, 0.40), 1.0, 2.0)
    sex[rng.random(n) < 0.08] = np.nan
    sex[:6] = 3.0  # six 'other' in all: fewer than 11 in each group
    diagnosis = np.where(rng.random(n) < np.where(peer, 0.2, 0.45), 1.0, np.where(rng.random(n) < 0.5, 2.0, 3.0))
    diagnosis[rng.random(n) < 0.1] = np.nan
    personality = np.flatnonzero(~peer)[:20].tolist() + np.flatnonzero(peer)[:4].tolist()
    diagnosis[personality] = 6.0
    frame["sex"], frame["diagnosis_group"] = sex, diagnosis
    return frame


def _by_hand(frame, min_cell=11):
    """The balance table computed here from the method's description (numpy and statsmodels), not the module."""
    treated = (frame["group"] == "peer").to_numpy()
    continuous = frame[list(adjusted.COVARIATES)].astype(float)
    continuous = continuous.fillna(continuous.median())
    dummies = {}
    for variable, names in (("sex", SEX), ("diagnosis_group", DIAGNOSIS)):
        level = pd.Series(["not_recorded" if np.isnan(v) else names[int(v) - 1] for v in frame[variable]])
        counts = pd.crosstab(level, treated)
        small = [v for v in counts.index if counts.loc[v].min() < min_cell]
        if len(small) == 1:
            rest = counts.drop(index=small)
            small.append(rest.min(axis=1).sort_values(kind="stable").index[0])
        level = level.where(~level.isin(small), "combined")
        for value in sorted(set(level)):
            dummies[(variable, value)] = (level == value).to_numpy(float)
    # Model: every level but the most common of each variable.
    columns = dict(continuous.items())
    for variable in ("sex", "diagnosis_group"):
        levels = {v: x for (var, v), x in dummies.items() if var == variable}
        reference = max(levels, key=lambda v: levels[v].sum())
        columns.update({f"{variable}={v}": x for v, x in levels.items() if v != reference})
    design = sm.add_constant(pd.DataFrame(columns))
    score = sm.Logit(treated.astype(float), design).fit(disp=0).predict(design).to_numpy()
    p = treated.mean()
    w = np.where(treated, p / score, (1 - p) / (1 - score))
    w = np.clip(w, *np.percentile(w, [1, 99]))

    def smd(x, weights):
        m1, m0 = np.average(x[treated], weights=weights[treated]), np.average(x[~treated], weights=weights[~treated])
        v1 = np.average((x[treated] - m1) ** 2, weights=weights[treated])
        v0 = np.average((x[~treated] - m0) ** 2, weights=weights[~treated])
        return m1, m0, (m1 - m0) / np.sqrt((v1 + v0) / 2)

    ones = np.ones(len(frame))
    table = {}
    for name, x in continuous.items():
        table[(name, None)] = (smd(x.to_numpy(float), ones), smd(x.to_numpy(float), w))
    for key, x in dummies.items():
        table[key] = (smd(x, ones), smd(x, w))
    return table, w


def test_balance_table_with_sex_and_diagnosis_matches_an_independent_computation():
    frame = with_sex_and_diagnosis()
    result = adjusted.adjusted_analysis(frame, min_cell=11)
    expected, weights = _by_hand(frame)
    got = {}
    for crude, weighted in zip(result["balance_crude"], result["balance_weighted"], strict=True):
        got[(crude["covariate"], crude.get("level"))] = (crude, weighted)
    assert set(got) == set(expected)
    # The rare levels were merged ('other' sex with the next smallest level; peer 'personality' with another).
    assert ("sex", "other") not in got and ("sex", "combined") in got
    assert got[("sex", "combined")][0]["merged"] == ["other", "not_recorded"]
    assert ("diagnosis_group", "personality") not in got and ("diagnosis_group", "combined") in got
    for key, ((m1, m0, d), (wm1, wm0, wd)) in expected.items():
        crude, weighted = got[key]
        assert (crude["mean_peer"], crude["mean_comparison"]) == (pytest.approx(m1, abs=0.006), pytest.approx(m0, abs=0.006)), key
        assert crude["smd"] == pytest.approx(d, abs=1e-3), key
        assert (weighted["mean_peer"], weighted["mean_comparison"]) == (pytest.approx(wm1, abs=0.006), pytest.approx(wm0, abs=0.006)), key
        assert weighted["smd"] == pytest.approx(wd, abs=1e-3), key
    # The sicker comparison group: more psychosis before weighting, balanced after.
    assert got[("diagnosis_group", "psychosis")][0]["smd"] < -0.3
    assert all(abs(w["smd"]) < 0.1 for _c, w in got.values())
    # The adjusted hazard ratio is lifelines' weighted Cox model with these weights and robust errors.
    data = pd.DataFrame({"time": frame["time_days"], "event": frame["event"], "peer": (frame["group"] == "peer") * 1.0,
                         "w": weights})
    cox = CoxPHFitter().fit(data, duration_col="time", event_col="event", weights_col="w", robust=True).summary.loc["peer"]
    assert result["hazard_ratio_adjusted"]["hr"] == pytest.approx(cox["exp(coef)"], abs=2e-3)
    assert result["hazard_ratio_adjusted"]["ci"] == [pytest.approx(cox["exp(coef) lower 95%"], abs=2e-3),
                                                     pytest.approx(cox["exp(coef) upper 95%"], abs=2e-3)]
    assert "sex=male" in result["model_covariates"] or "sex=female" in result["model_covariates"]


def test_a_share_that_would_show_a_small_count_is_hidden_with_a_complement():
    """Sex: 'other' (2) and 'not recorded' (3) in the peer group, merged, are still 5 people: that share is
    hidden, and so is the next smallest, so 100% − the shown shares gives no count under 11."""
    frame = confounded(n=400, seed=8)
    peer = (frame["group"] == "peer").to_numpy()
    sex = np.where(np.arange(len(frame)) % 2 == 0, 1.0, 2.0)
    peer_rows = np.flatnonzero(peer)
    sex[peer_rows[:2]] = 3.0
    sex[peer_rows[2:5]] = np.nan
    sex[np.flatnonzero(~peer)[:30]] = np.nan  # the comparison group's 'not recorded' is large
    frame["sex"] = sex
    result = adjusted.adjusted_analysis(frame, min_cell=11)
    n = {"peer": int(peer.sum()), "comparison": int((~peer).sum())}
    for table in ("balance_crude", "balance_weighted"):
        rows = [r for r in result[table] if r["covariate"] == "sex"]
        combined = next(r for r in rows if r["level"] == "combined")
        assert combined["mean_peer"] is None and combined["smd"] is None
        shown = [r["mean_peer"] for r in rows if r["mean_peer"] is not None]
        assert len(shown) == len(rows) - 2
        if table == "balance_crude":
            hidden_people = n["peer"] - sum(round(s * n["peer"]) for s in shown)
            assert hidden_people >= 11
            for r in rows:  # every shown share × n is a count of at least 11 (or 0)
                for group in ("peer", "comparison"):
                    value = r[f"mean_{group}"]
                    assert value is None or round(value * n[group]) == 0 or round(value * n[group]) >= 11
