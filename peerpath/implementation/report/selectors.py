"""Reads for the implementation report: the latest readiness aggregates and their change, the CFIR
heat-map, the barrier register and plan in numbers, integration trends, and the procurement checklist
with what this organisation's own data says about each requirement. Aggregates only; everything is
scoped to the reader's organisation by the selectors of each area."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _

from peerpath.core.choices import Role
from peerpath.implementation.integration import charts as integration_charts
from peerpath.implementation.integration import selectors as integration
from peerpath.implementation.models import PlanItemStatus, ReadinessRound, RoundStatus
from peerpath.implementation.planning import selectors as planning
from peerpath.implementation.ratings import selectors as ratings
from peerpath.implementation.readiness import selectors as readiness
from peerpath.implementation.reference import selectors as reference
from peerpath.implementation.reference.models import CfirDomain

REPORT_ROUNDS = 3  # heat-map columns in the report (the page shows up to six)


# ------------------------------------------------------------------ readiness


def scale_names(readiness_round: ReadinessRound) -> dict[str, str]:
    """"oric.change_commitment" → "ORIC: Change commitment", "aim.total" → the instrument's name."""
    spanish = (get_language() or "en").startswith("es")
    names = {}
    for instrument in readiness_round.instruments.all():
        names[f"{instrument.code}.total"] = instrument.localized("name")
        for sub in instrument.subscales:
            label = (sub.get("name_es") if spanish else None) or sub.get("name", sub["code"])
            names[f"{instrument.code}.{sub['code']}"] = f"{instrument.code.upper()}: {label}"
    return names


def readiness_summary(user: Any) -> dict[str, Any] | None:
    """The latest closed organisation-wide round (else the latest one with results), its aggregates as the
    readiness selectors give them (small groups never shown), and the change since the round before."""
    rounds = readiness.rounds_for(user).filter(team__isnull=True).order_by("-opens_on", "-id")
    latest = rounds.filter(status=RoundStatus.CLOSED).first() or rounds.first()
    if latest is None:
        return None
    results = readiness.round_results(user, latest)
    previous = (rounds.filter(opens_on__lt=latest.opens_on, status=RoundStatus.CLOSED).first()
                or rounds.filter(opens_on__lt=latest.opens_on).first())
    changes = readiness.round_comparison(user, previous, latest) if previous is not None else []
    names = scale_names(latest)
    if previous is not None:
        names = {**scale_names(previous), **names}
    for change in changes:
        change["name"] = names.get(change["scale"], change["scale"])
    overall = results["overall"]
    rows = []
    if overall:
        for scale in results["scales"]:
            summary = overall["scores"].get(scale)
            if summary:
                rows.append({"scale": scale, "name": names.get(scale, scale), **summary})
    before = {c["scale"]: c for c in changes}
    for row in rows:
        row["change"] = before.get(row["scale"])
    groups = [{"label": _("Other roles (pooled)") if role == readiness.OTHER else str(Role(role).label),
               "respondents": g["respondents"], "invited": g["invited"],
               "cells": [g["scores"].get(row["scale"]) for row in rows]}
              for role, g in results["groups"].items()]
    return {"round": latest, "previous": previous, "results": results, "rows": rows, "changes": changes,
            "groups": groups, "names": names}


# ------------------------------------------------------------------ barriers and plan


def barrier_summary(user: Any) -> dict[str, Any]:
    """Counts of the register (barriers and facilitators, open and addressed, by CFIR domain) and the open
    barriers themselves."""
    entries = list(planning.barriers_for(user))
    counts = Counter((b.kind, b.resolved_on is None) for b in entries)
    by_domain = []
    for code, name in CfirDomain.choices:
        open_barriers = sum(1 for b in entries if b.construct.domain == code and b.kind == "barrier"
                            and b.resolved_on is None)
        facilitators = sum(1 for b in entries if b.construct.domain == code and b.kind == "facilitator")
        by_domain.append({"code": code, "name": str(name), "open": open_barriers, "facilitators": facilitators})
    return {
        "open_barriers": counts[("barrier", True)], "addressed_barriers": counts[("barrier", False)],
        "facilitators": counts[("facilitator", True)] + counts[("facilitator", False)],
        "by_domain": by_domain,
        "open": [b for b in entries if b.kind == "barrier" and b.resolved_on is None],
    }


def plan_summary(user: Any) -> dict[str, Any]:
    summary = planning.plan_status_summary(user)
    statuses = [{"status": status, "label": str(label), "n": summary.get(status, 0)}
                for status, label in PlanItemStatus.choices]
    plans = []
    for plan in planning.plans_for(user):
        total, done, dropped = (getattr(plan, name) for name in ("item_total", "item_done", "item_dropped"))
        planned = max(total - dropped, 0)
        plans.append({"plan": plan, "done": done, "planned": planned,
                      "percent": round(100 * done / planned) if planned else 0})
    return {"summary": summary, "statuses": statuses, "overdue": list(planning.overdue_plan_items(user)),
            "plans": plans}


# ------------------------------------------------------------------ integration


def integration_summary(user: Any) -> dict[str, Any]:
    """Integration over the last 12 months per team: the two-gradients chart with its table."""
    metrics = integration.integration_metrics(user=user)
    return {"available": bool(metrics.teams), "metrics": metrics, "chart": integration_charts.report_chart(metrics)}


# ------------------------------------------------------------------ procurement checklist


@dataclass
class ProcurementRow:
    order: int
    key: str
    title: str
    requirement: str
    construct_code: str
    construct_name: str
    source: str
    citation: str
    status: str  # "in_place", "partly", "not_in_place", "unknown", "" (nothing to derive from)
    status_label: str
    evidence: str


STATUS_LABELS = {
    "in_place": gettext_lazy("In place"), "partly": gettext_lazy("Partly in place"),
    "not_in_place": gettext_lazy("Not in place"), "unknown": gettext_lazy("Not known yet"),
    "": gettext_lazy("Not derivable from Peerpath data"),
}


def _status_of(rating: Any) -> str:
    if rating is None:
        return "unknown"
    if rating.value == "rated":
        return "in_place" if rating.score >= 1 else ("partly" if rating.score == 0 else "not_in_place")
    return "partly" if rating.value == "mixed" else "unknown"


def procurement_rows(user: Any) -> tuple[list[ProcurementRow], Any]:
    """Each requirement a funder should put in a contract, with its source citation and, where it concerns a
    CFIR construct, what this organisation's latest organisation-wide rating and open barriers say."""
    latest, by_code = ratings.latest_org_ratings(user)
    open_barriers = Counter(b.construct.code for b in planning.open_barriers_for(user) if not b.team_id)
    rows = []
    for requirement in reference.procurement_requirements().select_related("dataset"):
        construct = requirement.construct
        code = construct.code if construct else ""
        status, evidence = "", ""
        if construct is not None:
            rating = by_code.get(code)
            status = _status_of(rating)
            parts = []
            if rating is not None and latest is not None:
                cell = ratings.cell_of(rating)
                parts.append(_("CFIR %(code)s rated %(value)s on %(date)s (%(round)s)") % {
                    "code": code, "value": cell.label, "date": latest.rated_on.isoformat(), "round": latest.title})
                if rating.evidence:
                    parts.append(rating.evidence)
            elif latest is not None:
                parts.append(_("CFIR %(code)s not rated in %(round)s") % {"code": code, "round": latest.title})
            else:
                parts.append(_("No CFIR rating round yet"))
            if open_barriers.get(code):
                parts.append(ngettext("%(n)s open barrier on this construct", "%(n)s open barriers on this construct",
                                      open_barriers[code]) % {"n": open_barriers[code]})
                if status == "in_place":
                    status = "partly"
            evidence = " · ".join(parts)
        rows.append(ProcurementRow(
            order=requirement.order, key=requirement.key, title=requirement.localized("title"),
            requirement=requirement.localized("requirement"), construct_code=code,
            construct_name=construct.localized("name") if construct else "", source=requirement.source,
            citation=requirement.dataset.citation(requirement.source), status=status,
            status_label=str(STATUS_LABELS[status]), evidence=evidence))
    return rows, latest


# ------------------------------------------------------------------ the whole report


def report_for(user: Any) -> dict[str, Any]:
    procurement, rating_round = procurement_rows(user)
    return {
        "readiness": readiness_summary(user),
        "heat": ratings.heatmap(user, None, limit=REPORT_ROUNDS),
        "barriers": barrier_summary(user),
        "plan": plan_summary(user),
        "integration": integration_summary(user),
        "procurement": procurement,
        "procurement_round": rating_round,
    }
