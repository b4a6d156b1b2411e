"""Peer role definitions (drafted, reviewed, approved, versioned, printed) and pay equity against employment terms."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from peerpath.core.access import ALL_ROLES, AuthedRequest, allow
from peerpath.core.audit import audit_record
from peerpath.core.choices import AuditAction, Role
from peerpath.core.exceptions import ServiceError
from peerpath.workforce.models import ReviewerGroup, RoleDefinitionStatus
from peerpath.workforce.roles import forms, selectors, services
from peerpath.workforce.staff import selectors as staff_selectors
from peerpath.workforce.staff.selectors import ORG_WIDE
from peerpath.workforce.staff.views import _form_error


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


@allow(ORG_WIDE)
def pay_equity(request: AuthedRequest) -> HttpResponse:
    audit_record(actor=request.user, action=AuditAction.VIEW, target_type="workforce.payequity")
    return render(request, "workforce/pay_equity.html", {"rows": selectors.pay_equity(request.user.organisation_id),
                                                          "min_cell": staff_selectors.MIN_CELL})
