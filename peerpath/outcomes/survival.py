"""Time to first re-admission: Kaplan–Meier per group (lifelines), crude proportions at 30/90/365 days among
clients followed that long, and a log-rank test — with every count and curve step through the one
disclosure-control module (``peerpath.core.disclosure``). No Django models here."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from lifelines import KaplanMeierFitter
from lifelines.statistics import logrank_test
from lifelines.utils import median_survival_times
from scipy import stats

from peerpath.core import disclosure
from peerpath.outcomes.adjusted import adjusted_analysis

GROUPS = ("peer", "comparison")
HORIZONS = (30, 90, 365)
AT_RISK_TIMES = (0, 30, 90, 180, 365)

METHOD = ("Kaplan–Meier estimate of time to first re-admission after the index date (lifelines KaplanMeierFitter, "
          "95% CI by the exponential Greenwood formula; where the estimate is 0% or 100% the band has no width, so the "
          "Clopper–Pearson exact interval is shown instead); median = the first time the estimate is at or below 50%, "
          "with its 95% CI from the confidence band; log-rank test (lifelines logrank_test). Crude proportion at t = "
          "re-admitted by t among the clients whose follow-up could reach t (index date at least t days ago), with a "
          "Clopper–Pearson exact 95% CI; clients followed for less are excluded and counted.")


def _round(value: float | None, digits: int = 4) -> float | None:
    if value is None or not np.isfinite(value):
        return None
    return round(float(value), digits)


def _p(value: float | None) -> float | None:
    if value is None or not np.isfinite(value):
        return None
    return float(f"{float(value):.4g}")


def _step_at(series: pd.Series, t: float) -> float:
    index = series.index[series.index <= t]
    return float(series.loc[index[-1]]) if len(index) else 1.0


def clopper_pearson(k: int, n: int) -> list[float | None]:
    """Exact 95% interval for a proportion k / n (scipy binomtest)."""
    ci = stats.binomtest(int(k), int(n)).proportion_ci(confidence_level=0.95, method="exact")
    return [_round(ci.low), _round(ci.high)]


def _cells(part: pd.DataFrame) -> tuple[dict[str, int], list[tuple[str, ...]], list[str]]:
    """Every count the group's tables show or imply, and the identities tying them (for ``protect``)."""
    times, events = part["time_days"].to_numpy(float), part["event"].to_numpy()
    ordered = np.sort(times)
    n = len(part)
    cells: dict[str, int] = {"n": n, "events": int(events.sum()), "no_events": int(n - events.sum())}
    relations: list[tuple[str, ...]] = [("n", "events", "no_events")]
    shown = ["n", "events"]
    previous = "n"
    for t in AT_RISK_TIMES[1:]:
        cells[f"at_risk_{t}"] = int(len(ordered) - np.searchsorted(ordered, t, side="left"))
        cells[f"left_before_{t}"] = cells[previous] - cells[f"at_risk_{t}"]
        relations.append((previous, f"at_risk_{t}", f"left_before_{t}"))
        shown.append(f"at_risk_{t}")
        previous = f"at_risk_{t}"
    followed = part["followed_days"].to_numpy(float) if "followed_days" in part else None
    for h in HORIZONS:
        by_h = (events == 1) & (times <= h)
        if followed is not None:
            eligible = followed >= h
            cells[f"eligible_{h}"] = int(eligible.sum())
            cells[f"readmitted_{h}"] = int((by_h & eligible).sum())
            cells[f"not_readmitted_{h}"] = cells[f"eligible_{h}"] - cells[f"readmitted_{h}"]
            cells[f"excluded_{h}"] = n - cells[f"eligible_{h}"]
            relations += [(f"eligible_{h}", f"readmitted_{h}", f"not_readmitted_{h}"), ("n", f"eligible_{h}", f"excluded_{h}")]
            shown += [f"eligible_{h}", f"readmitted_{h}", f"excluded_{h}"]
            if h in AT_RISK_TIMES:
                # Those at risk at h are (nearly: bar re-admissions on day h) the eligible not re-admitted by h, so
                # a reader treats these as identities too; protect them as such (conservative).
                relations += [(f"eligible_{h}", f"readmitted_{h}", f"at_risk_{h}"),
                              ("n", f"readmitted_{h}", f"at_risk_{h}", f"excluded_{h}")]
    return cells, relations, shown


def _group(part: pd.DataFrame, group: str, min_cell: int) -> tuple[dict[str, Any], KaplanMeierFitter]:
    kmf = KaplanMeierFitter().fit(part["time_days"], part["event"], label=group)
    survival = kmf.survival_function_[group]
    ci = kmf.confidence_interval_survival_function_
    lower, upper = ci.iloc[:, 0], ci.iloc[:, 1]
    table = kmf.event_table
    steps = table.index.to_numpy(float)
    keep = disclosure.coarsen_steps(steps, table["observed"].to_numpy(int), table["at_risk"].to_numpy(int),
                                    min_cell, checkpoints=HORIZONS)
    kept = set(keep)
    cells, relations, shown = _cells(part)
    safe = disclosure.protect(cells, relations, min_cell, shown=shown, keep=["n"])
    median = kmf.median_survival_time_
    median_ci = median_survival_times(kmf.confidence_interval_).iloc[0].to_numpy(float)
    entry: dict[str, Any] = {
        "n": safe["n"], "suppressed": False, "events": safe["events"],
        "median_days": _round(median, 1),
        "median_ci": [_round(median_ci[0], 1), _round(median_ci[1], 1)],
        "at_risk": {0: safe["n"], **{t: safe[f"at_risk_{t}"] for t in AT_RISK_TIMES[1:]}},
        "horizons": {},
    }
    times, events = part["time_days"].to_numpy(float), part["event"].to_numpy()
    for h in HORIZONS:
        s_h = _step_at(survival, h)
        everyone = s_h == 0.0
        cell: dict[str, Any] = {"km_readmitted": None, "km_ci": None}
        if h in kept or everyone:
            cell["km_readmitted"] = _round(1 - s_h)
            # An exact bound gives its denominator back, so it uses only a count the table shows (else no CI).
            if int(((events == 1) & (times <= h)).sum()) == 0:
                # No events: lifelines' band collapses to 0–0; show the exact interval for 0 of those at risk at h.
                at_risk = safe.get(f"at_risk_{h}")
                cell["km_ci"] = clopper_pearson(0, at_risk) if at_risk else None
            elif everyone:
                # Everyone had the event by h: the band collapses to 100–100%; show the exact interval for all of
                # the re-admitted (nobody is left at risk after h, so they are all the group's events).
                cell["km_ci"] = clopper_pearson(safe["events"], safe["events"]) if safe["events"] else None
            else:
                cell["km_ci"] = [_round(1 - _step_at(upper, h)), _round(1 - _step_at(lower, h))]
        if f"eligible_{h}" in cells:
            eligible, readmitted = safe[f"eligible_{h}"], safe[f"readmitted_{h}"]
            cell.update({"eligible": eligible, "readmitted": readmitted, "excluded": safe[f"excluded_{h}"]})
            if eligible and readmitted is not None:
                cell["crude_rate"] = _round(readmitted / eligible)
                cell["crude_ci"] = clopper_pearson(readmitted, eligible)
            else:
                cell["crude_rate"], cell["crude_ci"] = None, None
        else:
            cell.update({"eligible": None, "readmitted": None, "excluded": None, "crude_rate": None, "crude_ci": None})
        entry["horizons"][str(h)] = cell
    points = [0.0, *sorted(kept)]
    entry["curve"] = [[float(t), _round(_step_at(survival, t)), _round(_step_at(lower, t)), _round(_step_at(upper, t))]
                      for t in points]
    entry["curve"][0][2:] = [1.0, 1.0]
    return entry, kmf


def km_analysis(frame: pd.DataFrame, *, min_cell: int = 11) -> dict[str, Any]:
    """Kaplan–Meier time to first re-admission per group with 95% CI, numbers at risk and the median (with CI),
    the proportion re-admitted at 30/90/365 days (Kaplan–Meier, and crude among clients followed that long) and a
    log-rank test. Counts are protected (primary and complementary suppression); the curve is shown only at steps
    with at least ``min_cell`` events since the previous shown step and ``min_cell`` at risk."""
    groups: dict[str, Any] = {}
    fitted: dict[str, pd.DataFrame] = {}
    for group in GROUPS:
        part = frame[frame["group"] == group]
        if len(part) < min_cell:
            groups[group] = {"n": disclosure.count(len(part), min_cell), "suppressed": True}
            continue
        fitted[group] = part
        groups[group], _kmf = _group(part, group, min_cell)
    result: dict[str, Any] = {"method": METHOD, "groups": groups, "logrank": None}
    result["adjusted"] = None
    if len(fitted) == 2:
        from_both = pd.concat([fitted["peer"], fitted["comparison"]])
        adjusted = adjusted_analysis(from_both, min_cell=min_cell)
        if adjusted and adjusted.get("estimable"):
            for group, values in adjusted["weighted_km_readmitted"].items():  # only where the crude curve is shown
                for h in values:
                    if groups[group]["horizons"][h]["km_readmitted"] is None:
                        values[h] = None
        result["adjusted"] = adjusted
        peer, comparison = fitted["peer"], fitted["comparison"]
        test = logrank_test(peer["time_days"], comparison["time_days"], peer["event"], comparison["event"])
        result["logrank"] = {"statistic": _round(test.test_statistic), "p_value": _p(test.p_value), "df": 1}
    return result
