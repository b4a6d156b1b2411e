"""The statistics of an evaluation, run on de-identified analysis datasets (pandas DataFrames).

The evaluation page, the PDF report, the API and ``peerpath analyze`` all call these functions on
the same four datasets, so they print the same numbers. No Django imports here: a researcher can
re-run the analysis from the CSV files alone.

Datasets (one row per line, header first; documented in docs/outcomes.md):

* time to event ``client_id,group,time_days,event``  (event 1 = re-admitted, 0 = censored)
* pre/post      ``client_id,group,measure,pre,post``
* diff-in-diff  ``client_id,group,period,outcome``   (period ``pre``/``post``; outcome = inpatient days per client-month)
* cost          ``client_id,group,years_pre,years_post,inpatient_days_pre,inpatient_days_post,ed_visits_pre,ed_visits_post,peer_hours``

``group`` is ``peer`` or ``comparison``. Statistics come from lifelines (Kaplan–Meier, log-rank),
scipy (paired t, bootstrap) and statsmodels (OLS with cluster-robust standard errors).
"""

from __future__ import annotations

import io
import json
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy import stats

from peerpath.core import disclosure
from peerpath.lib.csvrows import CsvFileError, csv_rows
from peerpath.outcomes.survival import AT_RISK_TIMES, GROUPS, HORIZONS, km_analysis  # noqa: F401 - re-exported

PERIODS = ("pre", "post")

COLUMNS: dict[str, tuple[str, ...]] = {
    "km": ("client_id", "group", "time_days", "event"),
    "prepost": ("client_id", "group", "measure", "pre", "post"),
    "did": ("client_id", "group", "period", "outcome"),
    "cost": ("client_id", "group", "years_pre", "years_post", "inpatient_days_pre", "inpatient_days_post",
             "ed_visits_pre", "ed_visits_post", "peer_hours"),
}

# Published internal-consistency reliabilities used for the Jacobson–Truax reliable change index,
# and which direction is better. Keys are instrument codes without punctuation, upper case.
# Optional columns: used when present (the evaluation's own files have them), not required of other files.
# followed_days = days from the index date to the end of data collection (crude proportions need it);
# the rest are baseline covariates at the index date for the balance table and the adjusted comparison
# (age in whole years, may be empty when unknown).
OPTIONAL_COLUMNS: dict[str, tuple[str, ...]] = {
    "km": ("followed_days", "age", "prior_admissions", "prior_inpatient_days", "prior_ed_visits", "sex", "diagnosis_group"),
}
# sex and diagnosis_group are numeric codes (see adjusted.CATEGORICAL; empty = not recorded).
MAY_BE_EMPTY = {"age", "sex", "diagnosis_group"}

RELIABILITY: dict[str, dict[str, Any]] = {
    "PHQ9": {"r": 0.89, "lower_is_better": True, "source": "Kroenke, Spitzer & Williams 2001 (alpha 0.89)"},
    "GAD7": {"r": 0.92, "lower_is_better": True, "source": "Spitzer et al. 2006 (alpha 0.92)"},
    "K10": {"r": 0.93, "lower_is_better": True, "source": "Kessler et al. 2002 (alpha 0.93)"},
    "QPR15": {"r": 0.93, "lower_is_better": False, "source": "Law et al. 2014 (alpha 0.93)"},
}
RCI_CRITICAL = 1.96


@dataclass(frozen=True)
class InputProblem:
    row: int  # line number in the file (the header is line 1); 0 = the file as a whole
    column: str
    reason: str

    def __str__(self) -> str:
        where = f"row {self.row}, column {self.column!r}" if self.row else f"column {self.column!r}"
        return f"{where}: {self.reason}"


class AnalysisInputError(ValueError):
    """A dataset that cannot be analysed; ``problems`` name the row and column of each fault."""

    def __init__(self, problems: list[InputProblem]) -> None:
        self.problems = problems
        shown = "; ".join(str(p) for p in problems[:20])
        more = f" (and {len(problems) - 20} more)" if len(problems) > 20 else ""
        super().__init__(shown + more)


# ---------------------------------------------------------------- reading and checking files

def _number(value: str) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def _score_ranges() -> dict[str, tuple[float, float, str]]:
    """The possible scores of each shipped measure, by ``measure_key`` (PHQ-9 0–27, GAD-7 0–21, ...),
    from the measures' own definitions (read as data: no Django here)."""
    path = Path(__file__).resolve().parents[1] / "measures" / "data" / "instruments.json"
    try:
        instruments = json.loads(path.read_text(encoding="utf-8"))["instruments"]
    except (OSError, ValueError, KeyError):  # pragma: no cover - shipped with the package
        return {}
    return {measure_key(i["code"]): (float(i["min_score"]), float(i["max_score"]), i["name"].split(" (")[0])
            for i in instruments if i.get("min_score") is not None and i.get("max_score") is not None}


def read_dataset(kind: str, source: str | io.TextIOBase | Any) -> pd.DataFrame:
    """Read and check one dataset CSV (a path, a binary or text file object, or the text itself) with the
    platform's CSV reader (``peerpath.lib.csvrows``): every problem names the file's real line."""
    if kind not in COLUMNS:
        raise ValueError(f"Unknown dataset kind {kind!r}")
    if isinstance(source, str) and "\n" not in source and "\r" not in source:
        with open(source, "rb") as handle:
            return read_dataset(kind, handle)
    if isinstance(source, io.TextIOWrapper) and source.buffer is not None:
        source = source.buffer  # standard input: read the bytes, so a BOM is handled as in any file
    try:
        reader = csv_rows(source, required=COLUMNS[kind])
    except CsvFileError as exc:
        problem = exc.problem
        if "empty" in problem.reason:
            raise AnalysisInputError([InputProblem(0, ",".join(COLUMNS[kind]), "the file is empty; expected a header row")]) from None
        if problem.column and "lacks" in problem.reason:
            missing = [c for c in COLUMNS[kind] if c in problem.column.split(", ")]
            raise AnalysisInputError([InputProblem(problem.line, c, "required column is missing from the header")
                                      for c in missing]) from None
        raise AnalysisInputError([InputProblem(problem.line, problem.column or "(header)", problem.reason)]) from None
    problems: list[InputProblem] = []
    records: list[tuple[int, dict[str, str]]] = []
    for row in reader:
        if row.problem is not None:
            problems.append(InputProblem(row.line, row.problem.column or "(row)", row.problem.reason))
        else:
            records.append((row.line, row.values))
    return _check_records(kind, reader.header, records, problems)


def check_dataset(kind: str, raw: pd.DataFrame) -> pd.DataFrame:
    """Validate every cell of a frame (row n of the frame is line n + 2 of its file); return a typed frame
    or raise naming each bad row and column."""
    records = [(position + 2, {k: str(v) for k, v in record.items()}) for position, record in enumerate(raw.to_dict("records"))]
    return _check_records(kind, [str(c).strip() for c in raw.columns], records, [])


def _check_records(kind: str, header: list[str], records: list[tuple[int, dict[str, str]]],
                   problems: list[InputProblem]) -> pd.DataFrame:
    rows: list[dict[str, Any]] = []
    numeric = {
        "km": {"time_days"}, "prepost": {"pre", "post"}, "did": {"outcome"},
        "cost": set(COLUMNS["cost"]) - {"client_id", "group"},
    }[kind]
    # Any finite number: a change score, a difference or another real-valued outcome may be negative.
    signed = {"pre", "post", "outcome"}
    optional = [c for c in OPTIONAL_COLUMNS.get(kind, ()) if c in header]
    numeric = numeric | set(optional)
    columns = list(COLUMNS[kind]) + optional
    seen: set[tuple[str, ...]] = set()
    group_of: dict[str, tuple[str, int]] = {}  # client id -> (group, first line)
    for line, record in records:
        row: dict[str, Any] = {}
        for column in columns:
            value = str(record.get(column, "")).strip()
            if column in MAY_BE_EMPTY and not value:
                row[column] = float("nan")
                continue
            if column == "client_id":
                if not value:
                    problems.append(InputProblem(line, column, "empty; every row needs a client id"))
                row[column] = value
            elif column == "group":
                if value not in GROUPS:
                    problems.append(InputProblem(line, column, f"{value!r} is not 'peer' or 'comparison'"))
                row[column] = value
            elif column == "period":
                if value not in PERIODS:
                    problems.append(InputProblem(line, column, f"{value!r} is not 'pre' or 'post'"))
                row[column] = value
            elif column == "measure":
                if not value:
                    problems.append(InputProblem(line, column, "empty; name the measure (e.g. PHQ-9)"))
                row[column] = value
            elif column == "event":
                if value not in {"0", "1"}:
                    problems.append(InputProblem(line, column, f"{value!r} is not 1 (re-admitted) or 0 (censored)"))
                row[column] = int(value) if value in {"0", "1"} else 0
            elif column in numeric:
                number = _number(value)
                if number is None:
                    problems.append(InputProblem(line, column, f"{value!r} is not a number"))
                elif number < 0 and column not in signed:
                    problems.append(InputProblem(line, column, f"{value!r} is negative"))
                row[column] = number if number is not None else 0.0
        if kind == "prepost" and row.get("measure"):
            known = SCORE_RANGES.get(measure_key(row["measure"]))
            for column in ("pre", "post"):
                number = _number(str(record.get(column, "")).strip())
                if known and number is not None and not known[0] <= number <= known[1]:
                    low, high, name = known
                    problems.append(InputProblem(line, column, f"{number:g} is outside the {name} score range "
                                                               f"{low:g}–{high:g}"))
        client, group = row.get("client_id", ""), row.get("group", "")
        if client and group in GROUPS:
            first = group_of.setdefault(client, (group, line))
            if first[0] != group:
                problems.append(InputProblem(line, "group", (
                    f"client {client!r} is in group {group!r} here but in {first[0]!r} on row {first[1]}; "
                    "a client is in one group only")))
        key = {"km": ("client_id",), "prepost": ("client_id", "measure"), "did": ("client_id", "period"),
               "cost": ("client_id",)}[kind]
        ident = tuple(row.get(k, "") for k in key)
        if all(ident) and ident in seen:
            problems.append(InputProblem(line, ",".join(key), "duplicate row for this " + " and ".join(key)))
        seen.add(ident)
        rows.append(row)
    if problems:
        problems.sort(key=lambda p: p.row)
        raise AnalysisInputError(problems)
    frame = pd.DataFrame(rows, columns=columns)
    if not len(frame):
        raise AnalysisInputError([InputProblem(0, ",".join(COLUMNS[kind]), "the file has a header but no data rows")])
    return frame


def canonical_order(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """The rows in one fixed order whatever order they came in (a hash of the key columns), so floating-point
    sums, regressions and the bootstrap give identical numbers from the page's data and from a file. The keys
    are values, not pseudonyms: each downloaded file has its own pseudonyms, and the numbers must not change."""
    order = np.argsort(pd.util.hash_pandas_object(frame[keys], index=False).to_numpy(), kind="stable")
    return frame.iloc[order].reset_index(drop=True)


# ---------------------------------------------------------------- small-cell suppression

def _count(n: int, min_cell: int) -> int | None:
    """A count of people, or None when 1..min_cell-1 (a small cell that could identify someone)."""
    return disclosure.count(n, min_cell)


def _p(value: float | None) -> float | None:
    """A p-value to 4 significant digits (so very small values stay visible, e.g. 3.2e-13)."""
    if value is None or not np.isfinite(value):
        return None
    return float(f"{float(value):.4g}")


def _round(value: float | None, digits: int = 4) -> float | None:
    if value is None or not np.isfinite(value):
        return None
    return round(float(value), digits)


# ---------------------------------------------------------------- pre/post change

def measure_key(measure: str) -> str:
    return re.sub(r"[^A-Z0-9]", "", measure.upper())


SCORE_RANGES = _score_ranges()


def prepost_analysis(frame: pd.DataFrame, *, min_cell: int = 11, eligible: dict[str, int] | None = None) -> dict[str, Any]:
    """Per measure and group: mean change post − pre with a 95% CI (scipy paired t), Cohen's d_z, and the
    share reliably improved / deteriorated by the Jacobson–Truax reliable change index."""
    results = []
    complete = canonical_order(frame.dropna(subset=["pre", "post"]), ["measure", "group", "pre", "post"])
    for measure in sorted(complete["measure"].unique()):
        info = RELIABILITY.get(measure_key(measure))
        # One SD for both groups (the pooled baseline SD of everyone with both scores), so the reliable-change
        # threshold is the same in both groups.
        both = complete[complete["measure"] == measure]["pre"].to_numpy(float)
        sd_reference = float(np.std(both, ddof=1)) if len(both) > 1 else 0.0
        for group in GROUPS:
            part = complete[(complete["measure"] == measure) & (complete["group"] == group)]
            n = len(part)
            entry: dict[str, Any] = {"measure": measure, "group": group, "n": _count(n, min_cell),
                                     "suppressed": n < min_cell}
            if eligible and eligible.get(group) and n >= min_cell:
                # Completeness: clients with both scores ÷ clients in the group.
                entry["completeness"] = {"pairs": n, "eligible_clients": int(eligible[group]),
                                         "pct": _round(100 * n / eligible[group], 1)}
            results.append(entry)
            if n < min_cell:
                continue
            pre, post = part["pre"].to_numpy(float), part["post"].to_numpy(float)
            change = post - pre
            test = stats.ttest_rel(post, pre)
            ci = test.confidence_interval(0.95)
            sd_change = float(np.std(change, ddof=1))
            sd_av = (float(np.std(pre, ddof=1)) + float(np.std(post, ddof=1))) / 2
            entry.update({
                "mean_pre": _round(pre.mean()), "mean_post": _round(post.mean()),
                "sd_pre": _round(np.std(pre, ddof=1)),
                "mean_change": _round(change.mean()), "ci": [_round(ci.low), _round(ci.high)],
                "t": _round(test.statistic), "p_value": _p(test.pvalue),
                "effect_size_dz": _round(change.mean() / sd_change) if sd_change > 0 else None,
                # d_av (Cumming 2012; Lakens 2013): mean change / mean of the pre and post SDs, the value readers
                # compare with 0.2 / 0.5 / 0.8.
                "effect_size_dav": _round(change.mean() / sd_av) if sd_av > 0 else None,
                "reliable_change": None,
            })
            if info:
                s_diff = reliable_change_sdiff(sd_reference, info["r"])
                if s_diff > 0:
                    rci = change / s_diff
                    better = rci < -RCI_CRITICAL if info["lower_is_better"] else rci > RCI_CRITICAL
                    worse = rci > RCI_CRITICAL if info["lower_is_better"] else rci < -RCI_CRITICAL
                    improved, deteriorated = int(better.sum()), int(worse.sum())
                    entry["reliable_change"] = {
                        "s_diff": _round(s_diff), "sd_reference": _round(sd_reference),
                        "sd_source": "pooled baseline SD of both groups",
                        "reliability": info["r"], "reliability_source": info["source"],
                        "lower_is_better": info["lower_is_better"],
                        "improved": _count(improved, min_cell),
                        "pct_improved": None if 0 < improved < min_cell else _round(100 * improved / n, 1),
                        "deteriorated": _count(deteriorated, min_cell),
                        "pct_deteriorated": None if 0 < deteriorated < min_cell else _round(100 * deteriorated / n, 1),
                    }
    return {
        "method": "Paired difference post − pre per client with both scores (scipy.stats.ttest_rel, 95% CI); "
                  "effect sizes Cohen's d_z = mean change / SD of change and d_av = mean change / mean of the intake and "
                  "follow-up SDs; reliable change by Jacobson & Truax (1991): RCI = change / S_diff, S_diff = √2 · SD · "
                  "√(1 − r), |RCI| > 1.96, with one SD for both groups (the pooled intake SD) and the published "
                  "reliability r shown with its source.",
        "caveats": "Uncontrolled pre/post change includes regression to the mean (people often start when "
                   "they feel worst) and loss to follow-up bias: only clients with both scores are counted.",
        "measures": results,
    }


def reliable_change_sdiff(sd_pre: float, reliability: float) -> float:
    """Jacobson & Truax (1991): S_E = SD·√(1−r); S_diff = √(2·S_E²)."""
    standard_error = sd_pre * math.sqrt(1 - reliability)
    return math.sqrt(2 * standard_error**2)


# ---------------------------------------------------------------- difference in differences

def did_analysis(frame: pd.DataFrame, *, min_cell: int = 11) -> dict[str, Any]:
    """OLS ``outcome ~ peer + post + peer:post`` with standard errors clustered by client (statsmodels);
    the interaction is the difference-in-differences estimate."""
    frame = canonical_order(frame, ["group", "period", "outcome"])
    treated = frame["group"].to_numpy() == "peer"
    post = frame["period"].to_numpy() == "post"
    clusters = pd.factorize(frame["client_id"])[0]
    outcome = frame["outcome"].to_numpy(float)
    cells: dict[str, dict[str, Any]] = {}
    small = False
    for group, in_group in (("peer", treated), ("comparison", ~treated)):
        for period, in_period in (("pre", ~post), ("post", post)):
            mask = in_group & in_period
            n = len(np.unique(clusters[mask]))
            small = small or n < min_cell
            cells[f"{group}_{period}"] = {"n": _count(n, min_cell),
                                          "mean": _round(outcome[mask].mean()) if n >= min_cell else None}
    result: dict[str, Any] = {
        "method": "Difference in differences: OLS of outcome on a constant, group, period and their interaction "
                  "(statsmodels), standard errors clustered by client; estimate = interaction coefficient; 95% CI and "
                  "p-value from t with (clients − 1) degrees of freedom.",
        "caveats": "Assumes the two groups' outcomes would have followed parallel trends without peer support; "
                   "the comparison group is not randomised (people who declined or were never matched may differ).",
        "cells": cells, "estimate": None,
    }
    if small:
        result["suppressed"] = True
        return result
    t, p = treated.astype(float), post.astype(float)
    design = pd.DataFrame({"const": 1.0, "treated": t, "post": p, "treated:post": t * p})
    # Small-sample inference: t with (clusters − 1) degrees of freedom (statsmodels' use_t for clustered errors),
    # not a normal z, which is too narrow with few clients.
    fit = sm.OLS(outcome, design).fit(cov_type="cluster", cov_kwds={"groups": clusters}, use_t=True)
    term = "treated:post"
    low, high = fit.conf_int(0.05).loc[term]
    n_clients = int(clusters.max() + 1)
    result["estimate"] = {
        "did": _round(fit.params[term]), "se": _round(fit.bse[term]), "ci": [_round(low), _round(high)],
        "p_value": _p(fit.pvalues[term]), "n_observations": int(fit.nobs),
        "n_clients": n_clients, "df": n_clients - 1, "t": _round(fit.tvalues[term]),
    }
    return result


# ---------------------------------------------------------------- cost model

COST_DEFAULTS = {"inpatient_day_cost": 1200.0, "ed_visit_cost": 1000.0, "peer_hour_cost": 35.0}


def cost_analysis(
    frame: pd.DataFrame, *, inpatient_day_cost: float, ed_visit_cost: float, peer_hour_cost: float,
    min_cell: int = 11, n_resamples: int = 1000, seed: int = 20261122,
) -> dict[str, Any]:
    """Net savings per peer-supported person per year:

    [comparison's change in annual cost − peer group's change in annual cost] − peer hours per year × hourly cost,
    where annual cost = inpatient days × day cost + emergency visits × visit cost. 95% interval by a
    percentile bootstrap of clients within each group (scipy.stats.bootstrap)."""
    params = {"inpatient_day_cost": inpatient_day_cost, "ed_visit_cost": ed_visit_cost, "peer_hour_cost": peer_hour_cost}
    data = canonical_order(frame[(frame["years_pre"] > 0) & (frame["years_post"] > 0)],
                           [c for c in COLUMNS["cost"] if c != "client_id"])
    per_client = {}
    for group in GROUPS:
        part = data[data["group"] == group]
        pre = (part["inpatient_days_pre"] * inpatient_day_cost + part["ed_visits_pre"] * ed_visit_cost) / part["years_pre"]
        post = (part["inpatient_days_post"] * inpatient_day_cost + part["ed_visits_post"] * ed_visit_cost) / part["years_post"]
        change = post - pre
        if group == "peer":
            change = change + part["peer_hours"] / part["years_post"] * peer_hour_cost
        per_client[group] = change.to_numpy(float)
    n_peer, n_comp = len(per_client["peer"]), len(per_client["comparison"])
    result: dict[str, Any] = {
        "parameters": params,
        "n": {"peer": _count(n_peer, min_cell), "comparison": _count(n_comp, min_cell)},
        "method": "Per client: annual cost after − annual cost before (inpatient days × day cost + emergency visits "
                  "× visit cost; peer clients also peer hours × hourly cost). Net saving per person per year = mean "
                  "change in the comparison group − mean change in the peer group; 95% percentile bootstrap interval "
                  f"({n_resamples} resamples of clients within groups, scipy.stats.bootstrap, fixed seed).",
        "caveats": "Costs are the editable assumptions shown, not your own accounts; the comparison group is not "
                   "randomised; group sessions count in full for each attendee.",
        "net_saving_per_person_year": None, "ci": None,
    }
    if n_peer < min_cell or n_comp < min_cell:
        result["suppressed"] = True
        return result

    def statistic(peer: np.ndarray, comparison: np.ndarray, axis: int = -1) -> np.ndarray:
        return np.mean(comparison, axis=axis) - np.mean(peer, axis=axis)

    estimate = float(statistic(per_client["peer"], per_client["comparison"]))
    boot = stats.bootstrap(
        (per_client["peer"], per_client["comparison"]), statistic, n_resamples=n_resamples, vectorized=True,
        paired=False, confidence_level=0.95, method="percentile", batch=50, rng=np.random.default_rng(seed),
    )
    result["net_saving_per_person_year"] = _round(estimate, 2)
    result["ci"] = [_round(boot.confidence_interval.low, 2), _round(boot.confidence_interval.high, 2)]
    result["mean_annual_change"] = {g: _round(per_client[g].mean(), 2) for g in GROUPS}
    return result


def run_all(datasets: dict[str, pd.DataFrame], *, min_cell: int, cost_parameters: dict[str, float] | None = None,
            kinds: Iterable[str] = ("km", "prepost", "did", "cost"), eligible: dict[str, int] | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for kind in kinds:
        frame = datasets.get(kind)
        if frame is None or not len(frame):
            out[kind] = None
        elif kind == "km":
            out[kind] = km_analysis(frame, min_cell=min_cell)
        elif kind == "prepost":
            out[kind] = prepost_analysis(frame, min_cell=min_cell, eligible=eligible)
        elif kind == "did":
            out[kind] = did_analysis(frame, min_cell=min_cell)
        else:
            out[kind] = cost_analysis(frame, min_cell=min_cell, **(cost_parameters or COST_DEFAULTS))
    return out
