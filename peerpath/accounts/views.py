from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from peerpath.accounts import selectors, services
from peerpath.accounts.forms import (
    ApiTokenForm,
    OrganisationSettingsForm,
    PeerExperienceForm,
    StaffCreateForm,
    StaffEditForm,
)
from peerpath.accounts.policies import MANAGE_ORGANISATION, MANAGE_STAFF, OWN_EXPERIENCE, SEARCH_STAFF, SIGNED_IN
from peerpath.core.access import AuthedRequest, allow
from peerpath.core.exceptions import ServiceError
from peerpath.core.forms_support import call_service
from peerpath.core.tenancy import organisation_teams
from peerpath.core.widgets import typeahead_field_name


@allow(SIGNED_IN)
def profile(request: AuthedRequest) -> HttpResponse:
    user = request.user
    new_secret = request.session.pop("new_api_token", None)
    context = {
        "token_form": ApiTokenForm(),
        "tokens": selectors.own_api_tokens(actor=user),
        "new_secret": new_secret,
        "teams": selectors.teams_of(user),
    }
    return render(request, "accounts/profile.html", context)


@require_POST
@allow(SIGNED_IN)
def token_create(request: AuthedRequest) -> HttpResponse:
    form = ApiTokenForm(request.POST)
    if form.is_valid():
        _token, secret = services.api_token_create(actor=request.user, name=form.cleaned_data["name"])
        request.session["new_api_token"] = secret
        messages.success(request, _("Token created. Copy it now: it will not be shown again."))
        return redirect("accounts:profile")
    return render(
        request, "accounts/profile.html",
        {"token_form": form, "tokens": selectors.own_api_tokens(actor=request.user)},
        status=400,
    )


@require_POST
@allow(SIGNED_IN)
def token_revoke(request: AuthedRequest, token_id: int) -> HttpResponse:
    try:
        services.api_token_revoke(actor=request.user, token_id=token_id)
    except ServiceError as exc:
        raise Http404(exc.reason) from exc
    messages.success(request, _("Token revoked."))
    return redirect("accounts:profile")


@require_POST
@allow(SIGNED_IN)
def language(request: AuthedRequest) -> HttpResponse:
    try:
        services.language_set(actor=request.user, language=request.POST.get("language", ""))
    except ServiceError as exc:
        messages.error(request, exc.reason)
    next_url = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = "/"
    return redirect(next_url)


@allow(OWN_EXPERIENCE)
def my_experience(request: AuthedRequest) -> HttpResponse:
    form = PeerExperienceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.peer_experience_save(actor=request.user, **form.cleaned_data)
        messages.success(request, _("Saved. Only you can see your full list."))
        return redirect("accounts:my_experience")
    experiences = selectors.own_experiences(actor=request.user)
    return render(request, "accounts/my_experience.html", {"form": form, "experiences": experiences},
                  status=400 if request.method == "POST" else 200)


@require_POST
@allow(OWN_EXPERIENCE)
def my_experience_remove(request: AuthedRequest, experience_id: int) -> HttpResponse:
    try:
        services.peer_experience_remove(actor=request.user, experience_id=experience_id)
    except ServiceError as exc:
        raise Http404(exc.reason) from exc
    messages.success(request, _("Removed."))
    return redirect("accounts:my_experience")


def _org_teams(user: Any) -> Any:
    return organisation_teams(user.organisation_id)


@allow(MANAGE_STAFF)
def staff_list(request: AuthedRequest) -> HttpResponse:
    staff = selectors.staff_list_for(user=request.user)
    return render(request, "accounts/staff_list.html", {"staff": staff})


@allow(MANAGE_STAFF)
def staff_create(request: AuthedRequest) -> HttpResponse:
    form = StaffCreateForm(request.POST or None, teams=_org_teams(request.user))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["teams"] = list(data["teams"])
        if call_service(form, services.staff_create, actor=request.user, **data) is not None:
            messages.success(request, _("Account created."))
            return redirect("accounts:staff_list")
    return render(request, "accounts/staff_form.html", {"form": form, "title": _("New staff account")}, status=400 if form.errors else 200)


@allow(MANAGE_STAFF)
def staff_edit(request: AuthedRequest, staff_id: int) -> HttpResponse:
    staff = selectors.staff_get_for(user=request.user, staff_id=staff_id)
    initial = {"role": staff.role, "teams": list(selectors.teams_of(staff)), "caseload_capacity": staff.caseload_capacity, "is_active": staff.is_active}
    form = StaffEditForm(request.POST or None, teams=_org_teams(request.user), initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["teams"] = list(data["teams"])
        if call_service(form, services.staff_update, actor=request.user, staff=staff, **data) is not None:
            messages.success(request, _("Saved."))
            return redirect("accounts:staff_list")
    return render(request, "accounts/staff_form.html", {"form": form, "title": staff.display_name}, status=400 if form.errors else 200)


@allow(MANAGE_ORGANISATION)
def organisation_settings(request: AuthedRequest) -> HttpResponse:
    organisation = request.user.organisation
    form = OrganisationSettingsForm(request.POST or None, initial={
        "require_mfa": getattr(organisation, "require_mfa", False), "safety_protocol": getattr(organisation, "safety_protocol", ""),
        **{name: getattr(organisation, name) for name in services.REFERRAL_LIMITS},
    })
    if request.method == "POST" and form.is_valid():
        if call_service(form, services.organisation_settings_update, actor=request.user, **form.cleaned_data) is not None:
            messages.success(request, _("Organisation settings saved."))
            return redirect("accounts:organisation_settings")
    return render(request, "accounts/staff_form.html", {"form": form, "title": _("Organisation settings")}, status=400 if form.errors else 200)


@allow(SEARCH_STAFF)
def staff_search(request: AuthedRequest) -> HttpResponse:
    """The staff type-ahead's answer: radio buttons named after the asking form field."""
    field = typeahead_field_name(request)
    query = request.GET.get(f"{field}__search", "")
    role = request.GET.get("role", "")
    people = selectors.staff_search_for(user=request.user, query=query, role=role)
    options = [{"pk": p.pk, "label": str(p), "detail": p.get_role_display()} for p in people]
    return render(request, "core/widgets/typeahead_options.html",
                  {"field": field, "options": options, "too_short": len(query.strip()) < 2})
