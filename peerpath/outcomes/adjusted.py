"""The adjusted comparison: baseline balance with standardised mean differences, inverse probability of
treatment weights from a logistic propensity model (statsmodels), and a weighted Kaplan–Meier and Cox hazard
ratio with a robust 95% CI (lifelines). Shown beside the crude figures, never instead of them."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pandas as pd
import statsmodels.api as sm
from lifelines import CoxPHFitter, KaplanMeierFitter

from peerpath.core import disclosure

COVARIATES = ("age", "prior_admissions", "prior_inpatient_days", "prior_ed_visits")
# Categorical baseline covariates, used when the file has the column ("where recorded"). The files carry them as
# numeric codes (1 = the first level, ...; empty = not recorded), documented in docs/outcomes.md.
CATEGORICAL: dict[str, tuple[str, ...]] = {
    "sex": ("female", "male", "other"),
    "diagnosis_group": ("psychosis", "bipolar", "depression", "anxiety", "substance", "personality", "other"),
}
NOT_RECORDED = "not_recorded"
COMBINED = "combined"  # levels with fewer than the threshold in a group, merged
HORIZONS = (30, 90, 365)
METHOD = ("Propensity score = P(peer support | age, prior admissions, inpatient days and emergency visits in the year "
          "before the index date, sex and diagnosis group) from a logistic regression (statsmodels Logit); sex and "
          "diagnosis group enter as indicator variables, with 'not recorded' as a level of its own and levels that "
          "have fewer than the minimum number of people in either group merged into one; a missing age is replaced "
          "by the median. Stabilised inverse probability of treatment weights (ATE), truncated at the 1st and 99th "
          "percentiles; weighted Kaplan–Meier and a weighted Cox model (lifelines) with a robust (sandwich) 95% CI. "
          "Balance: standardised mean difference = difference in means ÷ √((SD²peer + SD²comparison) / 2), before "
          "and after weighting; for sex and diagnosis group one row per level (the share of people with that level, "
          "SMD of the 0/1 indicator); |SMD| < 0.1 is usually taken as balanced.")


def _round(value: float | None, digits: int = 4) -> float | None:
    if value is None or not np.isfinite(value):
        return None
    return round(float(value), digits)


def _weighted_stats(x: np.ndarray, w: np.ndarray) -> tuple[float, float]:
    mean = float(np.average(x, weights=w))
    return mean, float(np.sqrt(np.average((x - mean) ** 2, weights=w)))


def balance(covariates: pd.DataFrame, treated: np.ndarray, weights: np.ndarray | None = None) -> list[dict[str, Any]]:
    """Means (for 0/1 level indicators: shares) per group and the standardised mean difference of each column."""
    rows = []
    w = np.ones(len(treated)) if weights is None else weights
    for name in covariates.columns:
        x = covariates[name].to_numpy(float)
        (m1, s1), (m0, s0) = _weighted_stats(x[treated], w[treated]), _weighted_stats(x[~treated], w[~treated])
        pooled = np.sqrt((s1**2 + s0**2) / 2)
        rows.append({"covariate": name, "mean_peer": _round(m1, 2), "mean_comparison": _round(m0, 2),
                     "smd": _round((m1 - m0) / pooled, 3) if pooled > 0 else None})
    return rows


def _levels(codes: pd.Series, variable: str) -> pd.Series:
    """Numeric codes → level names (empty → 'not recorded'; an unknown code keeps its number)."""
    names = CATEGORICAL[variable]

    def name(value: float) -> str:
        if not np.isfinite(value):
            return NOT_RECORDED
        number = int(value)
        return names[number - 1] if 1 <= number <= len(names) and number == value else f"code_{value:g}"

    return codes.astype(float).map(name)


def categorical_indicators(frame: pd.DataFrame, treated: np.ndarray, min_cell: int) -> tuple[pd.DataFrame, list[dict[str, Any]]]:
    """0/1 indicator columns ``variable=level`` for the categorical covariates in ``frame`` (all levels, the
    reference included: the balance table shows every level; the model drops one), and per variable the level
    counts per group. Levels with fewer than ``min_cell`` people in either group are merged into ``combined`` (a
    0/1 indicator with a handful of people would make the model separate them, and their shares would show
    small counts). A variable with one level left (e.g. recorded for nobody) is left out."""
    columns: dict[str, np.ndarray] = {}
    tables = []
    for variable in CATEGORICAL:
        if variable not in frame.columns:
            continue
        level = _levels(frame[variable], variable)
        small = [v for v in level.unique()
                 if (level[treated] == v).sum() < min_cell or (level[~treated] == v).sum() < min_cell]
        others = [v for v in level.unique() if v not in small]
        if len(small) == 1 and others:  # one small level merged alone would still be small: merge the next smallest
            small.append(min(others, key=lambda v: (min((level[treated] == v).sum(), (level[~treated] == v).sum()), v)))
        if small:
            level = level.where(~level.isin(small), COMBINED)
        order = [v for v in (*CATEGORICAL[variable], NOT_RECORDED, COMBINED) if v in set(level)]
        order += sorted(set(level) - set(order))
        if len(order) < 2:
            continue
        counts = {}
        for value in order:
            indicator = (level == value).to_numpy(float)
            columns[f"{variable}={value}"] = indicator
            counts[value] = {"peer": int(indicator[treated].sum()), "comparison": int(indicator[~treated].sum())}
        merged = [v for v in (*CATEGORICAL[variable], NOT_RECORDED) if v in small] + sorted(set(small) - {*CATEGORICAL[variable], NOT_RECORDED})
        tables.append({"variable": variable, "levels": order, "counts": counts, "merged": merged})
    return pd.DataFrame(columns, index=frame.index), tables


def _protect_levels(tables: list[dict[str, Any]], n: dict[str, int], min_cell: int) -> set[tuple[str, str, str]]:
    """(variable, level, group) cells whose share must be hidden: primary and complementary suppression of each
    group's level counts, which add up to the group's size (shown elsewhere)."""
    hidden = set()
    for table in tables:
        for group in ("peer", "comparison"):
            cells = {"n": n[group], **{level: table["counts"][level][group] for level in table["levels"]}}
            safe = disclosure.protect(cells, [("n", *table["levels"])], min_cell, keep=["n"])
            hidden |= {(table["variable"], level, group) for level in table["levels"] if safe[level] is None}
    return hidden


def _balance_rows(continuous: pd.DataFrame, indicators: pd.DataFrame, tables: list[dict[str, Any]], treated: np.ndarray,
                  weights: np.ndarray | None, hidden: set[tuple[str, str, str]]) -> list[dict[str, Any]]:
    rows = balance(continuous, treated, weights)
    merged = {table["variable"]: table["merged"] for table in tables}
    for row in balance(indicators, treated, weights):
        variable, level = row["covariate"].split("=", 1)
        row.update({"covariate": variable, "level": level, "share": True})
        if level == COMBINED:
            row["merged"] = merged[variable]
        hide_peer, hide_comparison = (variable, level, "peer") in hidden, (variable, level, "comparison") in hidden
        if hide_peer:
            row["mean_peer"] = None
        if hide_comparison:
            row["mean_comparison"] = None
        if hide_peer or hide_comparison:  # the SMD and one share give the other share back
            row["smd"] = None
        rows.append(row)
    return rows


def adjusted_analysis(frame: pd.DataFrame, *, min_cell: int = 11) -> dict[str, Any] | None:
    """The adjusted comparison of time to re-admission, or None when the file has no baseline columns or a
    group is under ``min_cell``."""
    if any(c not in frame.columns for c in COVARIATES):
        return None
    treated = frame["group"].to_numpy() == "peer"
    if treated.sum() < min_cell or (~treated).sum() < min_cell:
        return None
    categorical = [c for c in CATEGORICAL if c in frame.columns]
    frame = frame.sort_values(["group", "time_days", "event", *COVARIATES, *categorical]).reset_index(drop=True)
    treated = frame["group"].to_numpy() == "peer"
    covariates = frame[list(COVARIATES)].astype(float)
    covariates = covariates.fillna(covariates.median()).fillna(0.0)
    indicators, tables = categorical_indicators(frame, treated, min_cell)
    # The model drops each variable's most common level (the reference); the balance table shows them all.
    model_columns = []
    for table in tables:
        reference = max(table["levels"], key=lambda v: table["counts"][v]["peer"] + table["counts"][v]["comparison"])
        model_columns += [f"{table['variable']}={v}" for v in table["levels"] if v != reference]
    predictors = pd.concat([covariates, indicators[model_columns]], axis=1)
    # A covariate with one value for everyone (e.g. everyone had exactly one admission) says nothing about who
    # had peer support and would make the model singular: it is left out of the model (it stays in the table).
    predictors = predictors.loc[:, predictors.nunique() > 1]
    design = sm.add_constant(predictors, has_constant="add")
    try:
        with warnings.catch_warnings():  # non-convergence and separation are checked below, not logged
            warnings.simplefilter("ignore")
            model = sm.Logit(treated.astype(float), design).fit(disp=0, maxiter=200)
    except (np.linalg.LinAlgError, ValueError):
        return {"method": METHOD, "estimable": False}
    if not model.mle_retvals.get("converged", False):
        # A model that does not converge (the groups are separated by their baseline) gives no usable weights.
        return {"method": METHOD, "estimable": False}
    score = np.clip(model.predict(design).to_numpy(float), 1e-6, 1 - 1e-6)
    share = treated.mean()
    weights = np.where(treated, share / score, (1 - share) / (1 - score))
    low, high = np.percentile(weights, [1, 99])
    weights = np.clip(weights, low, high)
    data = pd.DataFrame({"time": frame["time_days"].to_numpy(float), "event": frame["event"].to_numpy(int),
                         "peer": treated.astype(float), "w": weights})
    with warnings.catch_warnings():  # lifelines reminds that weights need robust errors: they are robust here
        warnings.simplefilter("ignore")
        cox = CoxPHFitter().fit(data, duration_col="time", event_col="event", weights_col="w", robust=True)
    summary = cox.summary.loc["peer"]
    crude = CoxPHFitter().fit(data.drop(columns="w"), duration_col="time", event_col="event")
    crude_summary = crude.summary.loc["peer"]
    weighted_km = {}
    for group, mask in (("peer", treated), ("comparison", ~treated)):
        with warnings.catch_warnings():  # the weights are propensity weights by design; the CI comes from the Cox model
            warnings.simplefilter("ignore")
            kmf = KaplanMeierFitter().fit(data["time"][mask], data["event"][mask], weights=data["w"][mask])
        weighted_km[group] = {str(h): _round(1 - float(kmf.predict(h))) for h in HORIZONS}
    hidden = _protect_levels(tables, {"peer": int(treated.sum()), "comparison": int((~treated).sum())}, min_cell)
    return {
        "method": METHOD, "estimable": True,
        "hazard_ratio_crude": {"hr": _round(crude_summary["exp(coef)"], 3),
                               "ci": [_round(crude_summary["exp(coef) lower 95%"], 3), _round(crude_summary["exp(coef) upper 95%"], 3)]},
        "hazard_ratio_adjusted": {"hr": _round(summary["exp(coef)"], 3),
                                  "ci": [_round(summary["exp(coef) lower 95%"], 3), _round(summary["exp(coef) upper 95%"], 3)],
                                  "p_value": float(f"{float(summary['p']):.4g}")},
        "weighted_km_readmitted": weighted_km,
        "balance_crude": _balance_rows(covariates, indicators, tables, treated, None, hidden),
        "balance_weighted": _balance_rows(covariates, indicators, tables, treated, weights, hidden),
        "weights": {"min": _round(float(weights.min()), 3), "max": _round(float(weights.max()), 3)},
        "model_covariates": list(predictors.columns),
    }
