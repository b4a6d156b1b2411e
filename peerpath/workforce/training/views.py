"""The training catalogue, required courses per role and team, completions with certificates, and coverage."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from peerpath.core.access import ALL_ROLES, AuthedRequest, allow
from peerpath.core.audit import audit_record
from peerpath.core.choices import AuditAction, Role
from peerpath.core.exceptions import ServiceError
from peerpath.workforce.staff import selectors as staff_selectors
from peerpath.workforce.staff.views import MANAGERS, _form_error
from peerpath.workforce.training import forms, selectors, services


@allow(ALL_ROLES)
def training(request: AuthedRequest) -> HttpResponse:
    user = request.user
    staff_qs = staff_selectors.visible_staff(user) if user.role in services.TRAINING_RECORDERS else \
        staff_selectors.visible_staff(user).filter(pk=user.pk)
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
