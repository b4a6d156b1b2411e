"""Pages of the report area: the printable implementation report (HTML with print styles, and PDF), and
the procurement/contract checklist (HTML and CSV). Downloads are audited as exports."""

from __future__ import annotations

import csv
import io
from typing import Any

from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from peerpath.core.access import AuthedRequest, allow
from peerpath.core.audit import audit_record
from peerpath.core.choices import AuditAction
from peerpath.implementation.ratings import selectors as ratings_selectors
from peerpath.implementation.report import charts, rules, selectors


def _charts(report: dict[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    readiness = report["readiness"]
    if readiness and readiness["rows"]:
        before = {c["scale"]: c["before"] for c in readiness["changes"]}
        series: list[tuple[str, list[float | None]]] = []
        if before:
            series.append((readiness["previous"].title, [before.get(r["scale"]) for r in readiness["rows"]]))
        series.append((readiness["round"].title, [r["mean"] for r in readiness["rows"]]))
        short = [r["name"] if not r["scale"].endswith(".total") else r["scale"].split(".")[0].upper()
                 for r in readiness["rows"]]
        result["readiness"] = charts.hbar_chart(
            "chart-readiness", _("Readiness: mean scores (1–5)"),
            _("Mean score of everyone who answered, per questionnaire and subscale; the table beside gives the "
              "same numbers."), short, series, x_min=1, x_max=5, decimals=2,
            colours=(charts.COLOURS[1], charts.COLOURS[0]) if before else charts.COLOURS)
    plan = report["plan"]
    if plan["summary"]["total"]:
        result["plan"] = charts.hbar_chart(
            "chart-plan", _("Plan actions by status"), _("Number of plan actions per status and overdue; the table "
                                                          "beside gives the same numbers."),
            [s["label"] for s in plan["statuses"]] + [_("Overdue")],
            [(_("Actions"), [float(s["n"]) for s in plan["statuses"]] + [float(plan["summary"]["overdue"])])],  # type: ignore[list-item]
            x_max=max(max(s["n"] for s in plan["statuses"]), plan["summary"]["overdue"], 1), decimals=0)
    barriers = report["barriers"]
    if any(d["open"] or d["facilitators"] for d in barriers["by_domain"]):
        result["barriers"] = charts.hbar_chart(
            "chart-barriers", _("Open barriers and facilitators by CFIR domain"),
            _("Counts per CFIR 2.0 domain; the table beside gives the same numbers."),
            [f"{d['code']}. {d['name']}" for d in barriers["by_domain"]],
            [(_("Open barriers"), [float(d["open"]) for d in barriers["by_domain"]]),
             (_("Facilitators"), [float(d["facilitators"]) for d in barriers["by_domain"]])],
            x_max=max(max(max(d["open"], d["facilitators"]) for d in barriers["by_domain"]), 1), decimals=0)
    return result


def _context(request: AuthedRequest) -> dict[str, Any]:
    report = selectors.report_for(request.user)
    return {"report": report, "charts": _charts(report), "organisation": request.user.organisation,
            "generated": timezone.localtime(), "palette": ratings_selectors.legend(), "heat": report["heat"],
            "span": len(report["heat"].rounds) + 1 + (1 if report["heat"].has_change else 0)}


@allow(rules.READERS)
def report_page(request: AuthedRequest) -> HttpResponse:
    return render(request, "implementation/report/report.html", _context(request))


@allow(rules.READERS)
def report_pdf(request: AuthedRequest) -> HttpResponse:
    from weasyprint import HTML

    context = _context(request)
    audit_record(actor=request.user, action=AuditAction.EXPORT, target_type="implementation.report",
                 detail={"format": "pdf"})
    html = render_to_string("implementation/report/pdf.html", context, request=request)
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="peerpath-implementation-report.pdf"'
    return response


@allow(rules.READERS)
def procurement_page(request: AuthedRequest) -> HttpResponse:
    rows, rating_round = selectors.procurement_rows(request.user)
    return render(request, "implementation/report/procurement.html",
                  {"rows": rows, "rating_round": rating_round, "generated": timezone.localtime()})


def safe_cell(value: Any) -> Any:
    """A spreadsheet must not read a cell as a formula: text starting with = + - @ (or a tab or carriage
    return) gets a leading apostrophe."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


@allow(rules.READERS)
def procurement_csv(request: AuthedRequest) -> HttpResponse:
    rows, _round = selectors.procurement_rows(request.user)
    audit_record(actor=request.user, action=AuditAction.EXPORT, target_type="implementation.procurement_checklist",
                 detail={"format": "csv", "rows": len(rows)})
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([_("Requirement"), _("What the contract should say"), _("CFIR 2.0 construct"), _("Source"),
                     _("Status here"), _("Why")])
    for row in rows:
        construct = f"{row.construct_code} {row.construct_name}".strip()
        writer.writerow([safe_cell(v) for v in (row.title, row.requirement, construct, row.citation,
                                                row.status_label, row.evidence)])
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="peerpath-procurement-checklist.csv"'
    return response
