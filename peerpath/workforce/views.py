"""Workforce pages. Views parse input, call selectors/services and render; no business logic here."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from peerpath.core.access import ALL_ROLES, AuthedRequest, allow
from peerpath.core.audit import audit_record
from peerpath.core.choices import AuditAction, Role
from peerpath.core.exceptions import ServiceError
from peerpath.workforce import forms, selectors, services, survey, tasks
from peerpath.workforce.models import ReviewerGroup, RoleDefinitionStatus, SupervisionTopic

MANAGERS = frozenset({Role.SUPERVISOR, Role.LEADER, Role.ADMIN})
ORG_WIDE = frozenset({Role.LEADER, Role.ADMIN})
BOUNDARY_ROLES = frozenset({Role.PEER, Role.SUPERVISOR})
SUPERVISION_PAGE = frozenset({Role.PEER, Role.SUPERVISOR, Role.LEADER, Role.ADMIN})
TREND_ROLES = frozenset({Role.SUPERVISOR, Role.LEADER, Role.ADMIN})


def _form_error(form: Any, exc: ServiceError) -> None:
    form.add_error(exc.field if exc.field in form.fields else None, exc.reason)


# ------------------------------------------------------------------ home, profile, notifications

@allow(ALL_ROLES)
def home(request: AuthedRequest) -> HttpResponse:
    user = request.user
    context = {
        "lapsed": selectors.credential_lapsed_for(user),
        "credentials": selectors.credentials_for(user, user),
        "rounds": selectors.open_rounds_to_answer(user) if user.role == Role.PEER else [],
        "unread": selectors.notifications_for(user).filter(read_at__isnull=True).count(),
    }
    return render(request, "workforce/home.html", context)


@allow(ALL_ROLES)
def profile(request: AuthedRequest, staff_id: int) -> HttpResponse:
    staff = selectors.staff_for(request.user, staff_id)
    audit_record(actor=request.user, action=AuditAction.VIEW, target=staff)
    today = timezone.localdate()
    credentials = [(c, selectors.credential_status(c, today)) for c in selectors.credentials_for(request.user, staff)]
    context = {
        "staff": staff, "lapsed": selectors.credential_lapsed_for(staff, today=today), "credentials": credentials,
        "completions": selectors.completions_for(request.user, staff).order_by("-completed_on")[:50],
        "supervision": [r for r in selectors.supervision_status_for(request.user) if r.peer.pk == staff.pk],
    }
    return render(request, "workforce/profile.html", context)


@allow(ALL_ROLES)
def notifications(request: AuthedRequest) -> HttpResponse:
    items = list(selectors.notifications_for(request.user)[:100])
    if request.method == "POST":
        selectors.notifications_for(request.user).filter(read_at__isnull=True).update(read_at=timezone.now())
        return redirect("workforce:notifications")
    return render(request, "workforce/notifications.html", {"items": items})


@allow(ORG_WIDE)
def jobs(request: AuthedRequest) -> HttpResponse:
    from django_q.models import Schedule

    context = {"runs": tasks.recent_runs(), "schedules": Schedule.objects.filter(name__in=list(tasks.SCHEDULES))}
    return render(request, "workforce/jobs.html", context)


# ------------------------------------------------------------------ role definitions

@allow(ALL_ROLES)
def role_list(request: AuthedRequest) -> HttpResponse:
    definitions = list(selectors.role_definitions_for(request.user))
    return render(request, "workforce/role_list.html", {"definitions": definitions,
                                                        "can_draft": request.user.role == Role.LEADER})


@allow({Role.LEADER})
def role_create(request: AuthedRequest) -> HttpResponse:
    form = forms.RoleDefinitionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            definition = services.role_definition_create(actor=request.user, **form.cleaned_data)
        except ServiceError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("Draft saved."))
            return redirect("workforce:role_detail", pk=definition.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "workforce/role_form.html", {"form": form}, status=status)


@allow({Role.LEADER})
def role_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    definition = selectors.role_definition_for(request.user, pk)
    if definition.status != RoleDefinitionStatus.DRAFT:
        messages.error(request, _("Only a draft can be changed; start a new version."))
        return redirect("workforce:role_detail", pk=pk)
    form = forms.RoleDefinitionForm(request.POST or None, instance=definition)
    del form.fields["title"]
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "title"}
        try:
            services.role_definition_update(actor=request.user, definition=definition, **data)
        except ServiceError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("Draft saved."))
            return redirect("workforce:role_detail", pk=pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "workforce/role_form.html", {"form": form, "definition": definition}, status=status)


@allow(ALL_ROLES)
def role_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    user = request.user
    definition = selectors.role_definition_for(user, pk)
    reviews = list(definition.reviews.filter(is_active=True).select_related("reviewer"))
    my_review = next((r for r in reviews if r.reviewer_id == user.pk), None)
    others = [d for d in selectors.role_definitions_for(user).filter(title=definition.title) if d.pk != definition.pk]
    context = {
        "definition": definition, "rows": selectors.compare(definition, definition), "reviews": reviews,
        "groups": ReviewerGroup.choices, "comments": definition.comments.select_related("author"),
        "my_review": my_review, "others": others, "is_author": user.role == Role.LEADER,
        "can_comment": my_review is not None or user.role == Role.LEADER,
        "send_form": forms.SendForm(organisation_id=user.organisation_id)
        if user.role == Role.LEADER and definition.status == RoleDefinitionStatus.DRAFT else None,
        "comment_form": forms.CommentForm(),
    }
    return render(request, "workforce/role_detail.html", context)


@require_POST
@allow({Role.LEADER})
def role_send(request: AuthedRequest, pk: int) -> HttpResponse:
    definition = selectors.role_definition_for(request.user, pk)
    form = forms.SendForm(request.POST, organisation_id=request.user.organisation_id)
    if not form.is_valid():
        messages.error(request, _("Name at least one person in each group."))
        return redirect("workforce:role_detail", pk=pk)
    try:
        services.role_definition_send(actor=request.user, definition=definition,
                                      reviewers={g: list(form.cleaned_data[g]) for g in ReviewerGroup.values})
    except ServiceError as exc:
        messages.error(request, exc.reason)
    else:
        messages.success(request, _("Sent for consultation."))
    return redirect("workforce:role_detail", pk=pk)


@require_POST
@allow(ALL_ROLES)
def role_approve(request: AuthedRequest, pk: int) -> HttpResponse:
    definition = selectors.role_definition_for(request.user, pk)
    try:
        services.role_definition_approve(actor=request.user, definition=definition)
    except ServiceError as exc:
        messages.error(request, exc.reason)
    else:
        messages.success(request, _("Your approval was recorded."))
    return redirect("workforce:role_detail", pk=pk)


@require_POST
@allow(ALL_ROLES)
def role_comment(request: AuthedRequest, pk: int) -> HttpResponse:
    definition = selectors.role_definition_for(request.user, pk)
    form = forms.CommentForm(request.POST)
    if form.is_valid():
        try:
            services.role_definition_comment(actor=request.user, definition=definition,
                                             body=form.cleaned_data["body"])
        except ServiceError as exc:
            messages.error(request, exc.reason)
        else:
            messages.success(request, _("Comment added."))
    else:
        messages.error(request, _("Write a comment first."))
    return redirect("workforce:role_detail", pk=pk)


@require_POST
@allow({Role.LEADER})
def role_new_version(request: AuthedRequest, pk: int) -> HttpResponse:
    definition = selectors.role_definition_for(request.user, pk)
    new = services.role_definition_new_version(actor=request.user, definition=definition)
    messages.success(request, _("A new draft version was created."))
    return redirect("workforce:role_detail", pk=new.pk)


@allow(ALL_ROLES)
def role_compare(request: AuthedRequest, pk: int, other_pk: int) -> HttpResponse:
    a = selectors.role_definition_for(request.user, pk)
    b = selectors.role_definition_for(request.user, other_pk)
    return render(request, "workforce/role_compare.html", {"a": a, "b": b, "rows": selectors.compare(a, b)})


def _print_context(request: AuthedRequest, pk: int) -> dict[str, Any]:
    definition = selectors.role_definition_for(request.user, pk)
    return {"definition": definition, "rows": selectors.compare(definition, definition),
            "reviews": definition.reviews.filter(is_active=True).select_related("reviewer")}


@allow(ALL_ROLES)
def role_print(request: AuthedRequest, pk: int) -> HttpResponse:
    return render(request, "workforce/role_print.html", _print_context(request, pk))


@allow(ALL_ROLES)
def role_pdf(request: AuthedRequest, pk: int) -> HttpResponse:
    from weasyprint import HTML

    context = _print_context(request, pk)
    html = render_to_string("workforce/role_print.html", context, request=request)
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="role-definition-{pk}.pdf"'
    return response


# ------------------------------------------------------------------ training

@allow(ALL_ROLES)
def training(request: AuthedRequest) -> HttpResponse:
    user = request.user
    staff_qs = selectors.visible_staff(user) if user.role in services.TRAINING_RECORDERS else \
        selectors.visible_staff(user).filter(pk=user.pk)
    form = forms.CompletionForm(request.POST or None, request.FILES or None, staff_queryset=staff_qs,
                                organisation_id=user.organisation_id, initial={"staff": user.pk})
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.completion_record(actor=user, staff=data["staff"], course=data["course"],
                                           completed_on=data["completed_on"], hours=data["hours"],
                                           certificate=data["certificate"])
            except ServiceError as exc:
                _form_error(form, exc)
            else:
                messages.success(request, _("Training recorded."))
                return redirect("workforce:training")
    context = {"courses": selectors.courses_for(user), "form": form,
               "completions": selectors.completions_for(user, user)[:50],
               "can_edit_catalogue": user.role in services.CATALOGUE_EDITORS}
    return render(request, "workforce/training.html", context, status=400 if form.errors else 200)


@allow(services.CATALOGUE_EDITORS)
def catalogue_edit(request: AuthedRequest) -> HttpResponse:
    user = request.user
    course_form = forms.CourseForm(request.POST if request.POST.get("form") == "course" else None)
    req_form = forms.RequirementForm(request.POST if request.POST.get("form") == "requirement" else None,
                                     organisation_id=user.organisation_id)
    if request.method == "POST":
        try:
            if request.POST.get("form") == "course" and course_form.is_valid():
                services.course_create(actor=user, **course_form.cleaned_data)
                messages.success(request, _("Course added."))
                return redirect("workforce:catalogue_edit")
            if request.POST.get("form") == "requirement" and req_form.is_valid():
                services.course_require(actor=user, **req_form.cleaned_data)
                messages.success(request, _("Requirement added."))
                return redirect("workforce:catalogue_edit")
        except ServiceError as exc:
            _form_error(course_form if request.POST.get("form") == "course" else req_form, exc)
    from peerpath.workforce.models import CourseRequirement

    requirements = CourseRequirement.objects.filter(organisation_id=user.organisation_id or 0, is_active=True
                                                    ).select_related("course", "team").order_by("course__title", "role")
    rows = [(r, Role(r.role).label if r.role in Role.values else r.role) for r in requirements]
    context = {"course_form": course_form, "req_form": req_form, "requirements": rows}
    return render(request, "workforce/catalogue_edit.html", context, status=400 if request.method == "POST" else 200)


@allow(MANAGERS)
def coverage(request: AuthedRequest) -> HttpResponse:
    rows = selectors.coverage(request.user)
    audit_record(actor=request.user, action=AuditAction.LIST, target_type="workforce.coverage")
    return render(request, "workforce/coverage.html", {"rows": rows,
                                                       "missing_count": sum(1 for r in rows if r.missing)})


@allow(ALL_ROLES)
def certificate(request: AuthedRequest, pk: int) -> HttpResponse:
    completion = selectors.completion_for(request.user, pk)
    if not completion.certificate:
        raise Http404
    audit_record(actor=request.user, action=AuditAction.VIEW, target=completion, detail={"certificate": True})
    response = FileResponse(completion.certificate.open("rb"), content_type=completion.certificate_type,
                            as_attachment=True, filename=(completion.certificate.name or "certificate").rsplit("/", 1)[-1])
    return response  # type: ignore[return-value]


# ------------------------------------------------------------------ credentials

@allow(ALL_ROLES)
def credentials(request: AuthedRequest) -> HttpResponse:
    user = request.user
    staff_qs = selectors.visible_staff(user) if user.role in services.CREDENTIAL_MANAGERS else \
        selectors.visible_staff(user).filter(pk=user.pk)
    form = forms.CredentialForm(request.POST or None, staff_queryset=staff_qs, initial={"staff": user.pk})
    if request.method == "POST" and form.is_valid():
        try:
            services.credential_create(actor=user, **form.cleaned_data)
        except ServiceError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, _("Credential recorded."))
            return redirect("workforce:credentials")
    today = timezone.localdate()
    rows = [(c, selectors.credential_status(c, today)) for c in selectors.credentials_for(user)]
    return render(request, "workforce/credentials.html", {"rows": rows, "form": form},
                  status=400 if form.errors else 200)


# ------------------------------------------------------------------ supervision

@allow(SUPERVISION_PAGE)
def supervision(request: AuthedRequest) -> HttpResponse:
    user = request.user
    can_record = user.role in services.SUPERVISORS
    form = forms.SupervisionForm(request.POST or None,
                                 staff_queryset=selectors.org_staff(user).exclude(pk=user.pk)) if can_record else None
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.supervision_record(actor=user, kind=data["kind"], held_on=data["held_on"],
                                            attendees=list(data["attendees"]), topics=data["topics"],
                                            notes=data["notes"], action_items=data["action_items"])
            except ServiceError as exc:
                _form_error(form, exc)
            else:
                messages.success(request, _("Supervision session recorded."))
                return redirect("workforce:supervision")
    topic_labels = dict(SupervisionTopic.choices)
    sessions = [(s, [topic_labels.get(t, t) for t in s.topics]) for s in selectors.sessions_for(user)[:30]]
    context = {"status": selectors.supervision_status_for(user), "sessions": sessions,
               "form": form, "policy_days": selectors.policy_days(user.organisation_id)}
    return render(request, "workforce/supervision.html", context, status=400 if form and form.errors else 200)


# ------------------------------------------------------------------ boundaries

@allow(BOUNDARY_ROLES)
def boundaries(request: AuthedRequest) -> HttpResponse:
    user = request.user
    form = forms.BoundaryForm(request.POST or None) if user.role == Role.PEER else None
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            try:
                consultation = services.boundary_raise(actor=user, **form.cleaned_data)
            except ServiceError as exc:
                _form_error(form, exc)
            else:
                messages.success(request, _("Your supervisor has been asked."))
                return redirect("workforce:boundary_detail", pk=consultation.pk)
    return render(request, "workforce/boundaries.html", {"items": selectors.boundaries_for(user), "form": form},
                  status=400 if form and form.errors else 200)


@allow(BOUNDARY_ROLES)
def boundary_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    user = request.user
    consultation = selectors.boundary_for(user, pk)
    can_respond = selectors.is_supervisor_of(user, consultation.raised_by) and not consultation.closed_at
    form = forms.BoundaryResponseForm(request.POST or None) if can_respond else None
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            try:
                services.boundary_respond(actor=user, consultation=consultation,
                                          response=form.cleaned_data["response"], close=form.cleaned_data["close"])
            except ServiceError as exc:
                _form_error(form, exc)
            else:
                messages.success(request, _("Response saved."))
                return redirect("workforce:boundary_detail", pk=pk)
    return render(request, "workforce/boundary_detail.html", {"item": consultation, "form": form},
                  status=400 if form and form.errors else 200)


@allow(TREND_ROLES)
def boundary_trend(request: AuthedRequest) -> HttpResponse:
    return render(request, "workforce/boundary_trend.html",
                  {"trend": selectors.boundary_trend(request.user.organisation_id)})


# ------------------------------------------------------------------ surveys and pay

@allow(ALL_ROLES)
def surveys(request: AuthedRequest) -> HttpResponse:
    user = request.user
    form = forms.SurveyRoundForm(request.POST or None) if user.role in services.SURVEY_MANAGERS else None
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            try:
                services.survey_round_create(actor=user, **form.cleaned_data)
            except ServiceError as exc:
                _form_error(form, exc)
            else:
                messages.success(request, _("Survey round created."))
                return redirect("workforce:surveys")
    context = {"to_answer": selectors.open_rounds_to_answer(user) if user.role == Role.PEER else [],
               "rounds": selectors.survey_rounds_for(user), "form": form,
               "can_see_results": user.role in ORG_WIDE}
    return render(request, "workforce/surveys.html", context, status=400 if form and form.errors else 200)


@allow({Role.PEER})
def survey_answer(request: AuthedRequest, pk: int) -> HttpResponse:
    survey_round = selectors.survey_round_for(request.user, pk)
    form = forms.SurveyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.survey_submit(actor=request.user, survey_round=survey_round, answers=form.cleaned_data)
        except ServiceError as exc:
            messages.error(request, exc.reason)
        else:
            messages.success(request, _("Thank you. Your answers were saved without your name."))
        return redirect("workforce:surveys")
    return render(request, "workforce/survey_answer.html", {"round": survey_round, "form": form},
                  status=400 if form.errors else 200)


def _result_rows(summary: dict[str, Any] | None) -> list[tuple[Any, Any]]:
    return [(text, summary["means"][key] if summary else None) for key, text, _g in survey.AGREEMENT_ITEMS]


@allow(ORG_WIDE)
def survey_results(request: AuthedRequest, pk: int) -> HttpResponse:
    survey_round = selectors.survey_round_for(request.user, pk)
    results = selectors.survey_results(survey_round)
    items = [text for _k, text, _g in survey.AGREEMENT_ITEMS]
    yes_no = [label for _k, label in survey.STIGMA_SOURCES + survey.STIGMA_FORMS]
    columns = [{"name": _("All teams"), "summary": results["overall"]}] + [
        {"name": row["team"], "summary": row["summary"]} for row in results["teams"]]
    table = [(text, [c["summary"]["means"][key] if c["summary"] else None for c in columns])
             for key, text, _g in survey.AGREEMENT_ITEMS]
    yes_no_table = [(label, [c["summary"]["shares"][key] if c["summary"] else None for c in columns])
                    for key, label in survey.STIGMA_SOURCES + survey.STIGMA_FORMS]
    trend = [(row["round"], row["summary"]) for row in selectors.survey_trend(request.user)]
    context = {"round": survey_round, "results": results, "columns": columns, "table": table,
               "yes_no_table": yes_no_table, "items": items, "yes_no": yes_no, "trend": trend,
               "trend_keys": survey.AGREEMENT_ITEMS}
    return render(request, "workforce/survey_results.html", context)


@allow(ORG_WIDE)
def pay_equity(request: AuthedRequest) -> HttpResponse:
    audit_record(actor=request.user, action=AuditAction.VIEW, target_type="workforce.payequity")
    return render(request, "workforce/pay_equity.html", {"rows": selectors.pay_equity(request.user.organisation_id),
                                                          "min_cell": selectors.MIN_CELL})
