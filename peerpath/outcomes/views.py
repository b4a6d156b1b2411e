from __future__ import annotations

import csv
import io
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from peerpath.clients.choices import DiagnosisGroup, Sex
from peerpath.core.access import allow
from peerpath.core.audit import audit_record
from peerpath.core.choices import AuditAction, Role, TeamType
from peerpath.core.exceptions import NotAllowed, ServiceError
from peerpath.outcomes import adjusted, analysis, charts, selectors, services
from peerpath.outcomes.forms import CohortForm, ImportForm, ServiceEventForm

EVALUATION_ROLES = frozenset({Role.LEADER, Role.EVALUATOR})
ENTRY_ROLES = services.ENTRY_ROLES
IMPORT_ROLES = services.IMPORT_ROLES
READ_ROLES = ENTRY_ROLES | {Role.ADMIN}


# ---------------------------------------------------------------- service use

@allow(READ_ROLES)
def client_service_use(request: HttpRequest, client_id: int) -> HttpResponse:
    user = request.user
    client = selectors.client_for(user, client_id, audit=request.method == "GET")
    can_record = user.role in ENTRY_ROLES  # type: ignore[union-attr]
    form = ServiceEventForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if not can_record:
            raise NotAllowed("Your role does not record service use.")
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.service_event_create(actor=user, client=client, kind=data["kind"], occurred_on=data["occurred_on"],
                                              ended_on=data["ended_on"], status=data["status"], facility=data["facility"])
            except ServiceError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.reason)
            else:
                messages.success(request, _("Service use recorded."))
                return redirect("outcomes:client_service_use", client_id=client.pk)
        status = 400
    context = {"client": client, "events": selectors.service_events_for(user, client), "form": form,
               "can_record": can_record}
    return render(request, "outcomes/client_service_use.html", context, status=status)


@require_POST
@allow(ENTRY_ROLES | IMPORT_ROLES)
def service_event_withdraw(request: HttpRequest, event_id: int) -> HttpResponse:
    event = selectors.event_for(request.user, event_id)
    try:
        services.service_event_deactivate(actor=request.user, event=event)
    except ServiceError as exc:
        messages.error(request, exc.reason)
    else:
        messages.success(request, _("The entry was withdrawn."))
    return redirect("outcomes:client_service_use", client_id=event.client_id)


@allow(IMPORT_ROLES)
def service_event_import(request: HttpRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                result = services.import_service_events(actor=request.user, data=upload, filename=upload.name)
            except ServiceError as exc:
                form.add_error("file", exc.reason)
        if not form.is_valid() or form.errors:
            status = 400
    context = {"form": form, "result": result, "columns": services.IMPORT_COLUMNS,
               "recent": selectors.recent_imports(request.user), **_progress_context(request.user, polling=False),
               "problems_shown": result.problems[:PROBLEMS_SHOWN] if result else [],
               "problems_more": max(0, len(result.problems) - PROBLEMS_SHOWN) if result else 0}
    return render(request, "outcomes/import.html", context, status=status)


PROBLEMS_SHOWN = 1000
STALE_AFTER_SECONDS = 120  # a running import writes its progress every batch (about a second)


def _progress_context(user: Any, *, polling: bool) -> dict[str, Any]:
    now = timezone.now()
    running = [{"run": run, "stale": (now - run.updated_at).total_seconds() > STALE_AFTER_SECONDS}
               for run in selectors.running_imports(user)]
    # Poll while anything runs, and after a submit (the file may still be uploading: no run yet).
    return {"running": running, "polling": polling or any(not r["stale"] for r in running)}


@allow(IMPORT_ROLES)
def service_event_import_progress(request: HttpRequest) -> HttpResponse:
    """The progress of the reader's running imports, polled by the import page while a file imports."""
    return render(request, "outcomes/_import_progress.html", _progress_context(request.user, polling=True))


# ---------------------------------------------------------------- evaluation

def _cohort_and_costs(request: HttpRequest) -> tuple[CohortForm, selectors.Cohort | None, dict[str, float]]:
    form = CohortForm(request.GET or None, organisation_id=request.user.organisation_id)  # type: ignore[union-attr]
    costs = dict(analysis.COST_DEFAULTS)
    if request.GET and not form.is_valid():
        return form, None, costs
    data = form.cleaned_data if request.GET else {}
    cohort = selectors.Cohort(
        program=data.get("program") or "", team_id=data["team"].pk if data.get("team") else None,
        start=data.get("start"), end=data.get("end"), age_min=data.get("age_min"), age_max=data.get("age_max"),
        language=data.get("language") or "",
    )
    for key in costs:
        if data.get(key) is not None:
            costs[key] = float(data[key])
    return form, cohort, costs


def _cohort_refused(form: CohortForm, exc: ServiceError) -> None:
    """A cohort too close to a neighbouring one: the reason goes on the filter that makes it so."""
    field = {"team_id": "team"}.get(exc.field or "", exc.field)
    form.add_error(field if field in form.fields else None, exc.reason)


def _measure_names() -> dict[str, str]:
    """Instrument names by code (PHQ-9 rather than ``phq9``), in the reader's language where translated."""
    from peerpath.measures.instruments.selectors import shipped_instrument_names

    return shipped_instrument_names(spanish=translation.get_language() == "es")




def _filters_in_words(filters: dict[str, Any], organisation: Any) -> list[tuple[str, str]]:
    """The cohort filters as a reader of the report names them ('Age from: 18'), not as form fields."""
    names = {"program": _("Program"), "team_id": _("Team"), "start": _("Index date from"), "end": _("Index date to"),
             "age_min": _("Age from"), "age_max": _("Age to"), "language": _("Preferred language")}
    languages = {"en": _("English"), "es": _("Spanish")}
    out = []
    for key, value in filters.items():
        if key == "program":
            value = dict(TeamType.choices).get(value, value)
        elif key == "team_id":
            value = (selectors.team_name(organisation.pk, value) if organisation else None) or value
        elif key == "language":
            value = languages.get(value, value)
        out.append((str(names.get(key, key)), str(value)))
    return out


def _balance_label(row: dict[str, Any]) -> str:
    """A balance-table row in words: 'Age at index (years)', 'Sex: female', 'Diagnosis group: not recorded'."""
    names = {"age": _("Age at index (years)"), "prior_admissions": _("Admissions in the year before"),
             "prior_inpatient_days": _("Inpatient days in the year before"),
             "prior_ed_visits": _("Emergency visits in the year before")}
    if not row.get("share"):
        return names.get(row["covariate"], row["covariate"])
    variable = {"sex": _("Sex"), "diagnosis_group": _("Diagnosis group")}.get(row["covariate"], row["covariate"])
    choices = {"sex": dict(Sex.choices), "diagnosis_group": dict(DiagnosisGroup.choices)}.get(row["covariate"], {})

    def name(level: str) -> str:
        return str(_("not recorded")) if level == adjusted.NOT_RECORDED else str(choices.get(level, level))

    if row["level"] == adjusted.COMBINED:  # levels too small to show alone
        text = _("%(levels)s (combined: too few people to show each)") % {
            "levels": ", ".join(name(v) for v in row.get("merged", []))}
    else:
        text = name(row["level"])
    return f"{variable}: {text}"


def _presentation(results: dict[str, Any], organisation: Any = None) -> dict[str, Any]:
    labels = {"peer": _("Peer support"), "comparison": _("Comparison (usual care)")}
    km = results.get("km")
    did = results.get("did")
    out: dict[str, Any] = {"labels": labels}
    if km:
        out["km_chart"] = charts.km_chart(km, labels)
        out["readmission_chart"] = charts.bar_chart(
            "readmit", _("Re-admitted by 30, 90 and 365 days (Kaplan–Meier)"), _("Re-admitted"),
            [_("%(d)s days") % {"d": h} for h in analysis.HORIZONS],
            {g: [km["groups"][g].get("horizons", {}).get(str(h), {}).get("km_readmitted") for h in analysis.HORIZONS]
             for g in analysis.GROUPS}, labels, percent=True)
        out["km_rows"] = [
            {"group": g, "label": labels[g], "data": km["groups"][g],
             "horizons": [(h, km["groups"][g].get("horizons", {}).get(str(h))) for h in analysis.HORIZONS],
             "at_risk": [(t, (km["groups"][g].get("at_risk") or {}).get(t)) for t in analysis.AT_RISK_TIMES]}
            for g in analysis.GROUPS
        ]
        adjusted = km.get("adjusted")
        if adjusted and adjusted.get("estimable"):
            out["balance"] = [{"label": _balance_label(c), "share": bool(c.get("share")), "crude": c, "weighted": w}
                              for c, w in zip(adjusted["balance_crude"], adjusted["balance_weighted"], strict=True)]
            out["adjusted_crude"] = [[km["groups"][g]["horizons"][str(h)]["km_readmitted"] for g in analysis.GROUPS]
                                     for h in analysis.HORIZONS]
            out["adjusted_weighted"] = [[adjusted["weighted_km_readmitted"][g][str(h)] for g in analysis.GROUPS]
                                        for h in analysis.HORIZONS]
        out["at_risk_times"] = analysis.AT_RISK_TIMES
        out["horizons"] = analysis.HORIZONS
    if did:
        cells = did["cells"]
        out["did_chart"] = charts.bar_chart(
            "inpatient", _("Inpatient days per client-month, year before vs after"), _("Days per client-month"),
            [_("Before"), _("After")],
            {g: [cells[f"{g}_pre"]["mean"], cells[f"{g}_post"]["mean"]] for g in analysis.GROUPS}, labels)
        out["did_rows"] = [{"label": labels[g], "pre": cells[f"{g}_pre"], "post": cells[f"{g}_post"]} for g in analysis.GROUPS]
    out["currency"] = getattr(organisation, "currency", "") or ""
    cost = results.get("cost")
    out["default_costs"] = cost is not None and all(
        float(cost["parameters"][k]) == v for k, v in analysis.COST_DEFAULTS.items())
    out["filters"] = _filters_in_words(results.get("cohort", {}).get("filters", {}), organisation)
    prepost = results.get("prepost")
    if prepost:
        names = _measure_names()
        for entry in prepost["measures"]:
            entry["label"] = labels[entry["group"]]
            entry["measure_name"] = names.get(entry["measure"], entry["measure"])
    return out


@allow(EVALUATION_ROLES)
def evaluation(request: HttpRequest) -> HttpResponse:
    form, cohort, costs = _cohort_and_costs(request)
    context: dict[str, Any] = {"form": form, "query": request.GET.urlencode(), "kinds": analysis.COLUMNS}
    if cohort is None:
        return render(request, "outcomes/evaluation.html", context, status=400)
    try:
        results, datasets = selectors.evaluation_for(request.user, cohort=cohort, cost_parameters=costs)
    except ServiceError as exc:
        _cohort_refused(form, exc)
        return render(request, "outcomes/evaluation.html", context, status=400)
    context.update({"r": results, "p": _presentation(results, request.user.organisation),  # type: ignore[union-attr]
                    "downloads": selectors.dataset_allowed(datasets)})
    return render(request, "outcomes/evaluation.html", context)


def report_html(request: HttpRequest, results: dict[str, Any]) -> str:
    """The HTML the PDF report is rendered from (paper wording: no form, no links to follow)."""
    organisation = request.user.organisation  # type: ignore[union-attr]
    return render_to_string("outcomes/report.html", {
        "r": results, "p": _presentation(results, organisation), "organisation": organisation,
        "generated": timezone.localtime(),
    }, request=request)


@allow(EVALUATION_ROLES)
def evaluation_pdf(request: HttpRequest) -> HttpResponse:
    from weasyprint import HTML

    form, cohort, costs = _cohort_and_costs(request)
    if cohort is None:
        return render(request, "outcomes/evaluation.html", {"form": form, "kinds": analysis.COLUMNS}, status=400)
    try:
        results, _datasets = selectors.evaluation_for(request.user, cohort=cohort, cost_parameters=costs,
                                                      audit_action=AuditAction.EXPORT)
    except ServiceError as exc:
        _cohort_refused(form, exc)
        return render(request, "outcomes/evaluation.html", {"form": form, "kinds": analysis.COLUMNS}, status=400)
    pdf = HTML(string=report_html(request, results), base_url=request.build_absolute_uri("/")).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="peerpath-evaluation.pdf"'
    return response


def _safe_cell(value: Any) -> Any:
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


@allow(EVALUATION_ROLES)
def evaluation_dataset(request: HttpRequest, kind: str) -> HttpResponse:
    if kind not in analysis.COLUMNS:
        return render(request, "outcomes/dataset_refused.html", {"reason": _("Unknown dataset.")}, status=404)
    _form, cohort, costs = _cohort_and_costs(request)
    if cohort is None:
        return render(request, "outcomes/dataset_refused.html", {"reason": _("Correct the cohort first.")}, status=400)
    try:
        cohort = selectors.checked_cohort(request.user, cohort=cohort, audit_action=AuditAction.EXPORT)
    except ServiceError as exc:
        return render(request, "outcomes/dataset_refused.html", {"reason": exc.reason}, status=409)
    datasets = selectors.build_datasets(organisation_id=request.user.organisation_id, cohort=cohort)  # type: ignore[union-attr]
    frame, refusal = selectors.download_frame(request.user, datasets, kind, cost_parameters=costs)
    if frame is None:
        reason = (_("Each group needs at least %(n)s people before row-level data can be downloaded.") if refusal == "groups"
                  else _("This file would show a count of fewer than %(n)s people that the page hides, so it cannot be "
                         "downloaded for this cohort. Widen the cohort."))
        return render(request, "outcomes/dataset_refused.html", {"reason": reason % {"n": selectors.min_cell()}}, status=409)
    audit_record(actor=request.user, action=AuditAction.EXPORT, target_type="outcomes.dataset",
                 detail={"kind": kind, "cohort": cohort.describe(), "rows": int(len(frame))})
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    columns = [c for c in (*analysis.COLUMNS[kind], *analysis.OPTIONAL_COLUMNS.get(kind, ())) if c in frame.columns]
    writer.writerow(columns)
    for row in frame[columns].itertuples(index=False):
        writer.writerow([_safe_cell("" if isinstance(v, float) and v != v else v) for v in row])
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="peerpath-{kind}.csv"'
    return response
