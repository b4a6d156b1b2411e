from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from peerpath.accounts.selectors import peers_in_organisation
from peerpath.care import selectors as care_selectors
from peerpath.clients import selectors, services
from peerpath.clients.choices import ReferralStatus
from peerpath.clients.forms import AssignForm, ClientSearchForm, ReasonForm, ReferralForm
from peerpath.clients.matching import suggest_peers
from peerpath.clients.permissions import REFERRAL_HANDLERS, REFERRERS
from peerpath.core.access import AuthedRequest, allow
from peerpath.core.audit import audit_record
from peerpath.core.choices import AuditAction, Role
from peerpath.core.exceptions import ServiceError
from peerpath.core.models import Team

CLIENT_READERS = {Role.PEER, Role.SUPERVISOR, Role.CLINICIAN, Role.LEADER, Role.ADMIN}
INBOX_READERS = {Role.PEER, Role.SUPERVISOR, Role.CLINICIAN, Role.LEADER, Role.ADMIN}


@allow(CLIENT_READERS)
def client_list(request: AuthedRequest) -> HttpResponse:
    form = ClientSearchForm(request.GET or None)
    search = form.cleaned_data["q"] if form.is_valid() else ""
    clients = selectors.client_list_for(request.user, search=search)
    page = Paginator(clients, 50).get_page(request.GET.get("page"))
    audit_record(actor=request.user, action=AuditAction.LIST, target_type="clients.client",
                 detail={"ids": [c.pk for c in page], "search": bool(search)})
    template = "clients/_client_rows.html" if request.htmx else "clients/client_list.html"
    return render(request, template, {"form": form, "page": page, "can_refer": request.user.role in REFERRERS})


@allow(CLIENT_READERS)
def client_detail(request: AuthedRequest, client_id: int) -> HttpResponse:
    client = selectors.client_get_for(request.user, client_id)
    context = {
        "client": client,
        "plan": care_selectors.active_plan(client),
        "timeline": care_selectors.client_timeline(user=request.user, client=client),
        "care_team": care_selectors.care_team_for(client),
        "referrals": client.referrals.filter(is_active=True).select_related("referred_by", "assigned_peer").order_by("-created_at"),
        "is_my_client": client.matches.filter(peer=request.user, is_active=True).exists(),
    }
    return render(request, "clients/client_detail.html", context)


@allow(INBOX_READERS)
def referral_inbox(request: AuthedRequest) -> HttpResponse:
    status = request.GET.get("status") or ""
    if status not in ReferralStatus.values:
        status = ""
    referrals = selectors.referral_inbox_for(request.user, status=status or None)
    page = Paginator(referrals, 40).get_page(request.GET.get("page"))
    context = {
        "page": page, "status": status, "counts": selectors.referral_status_counts(request.user),
        "statuses": ReferralStatus.choices, "can_refer": request.user.role in REFERRERS,
    }
    audit_record(actor=request.user, action=AuditAction.LIST, target_type="clients.referral",
                 detail={"ids": [r.pk for r in page]})
    template = "clients/_referral_rows.html" if request.htmx else "clients/referral_inbox.html"
    return render(request, template, context)


@allow(REFERRERS)
def referral_create(request: AuthedRequest) -> HttpResponse:
    user = request.user
    teams = Team.objects.filter(organisation_id=user.organisation_id, is_active=True)  # type: ignore[misc]
    if user.role != Role.LEADER:
        teams = teams.filter(pk__in=user.teams.values("pk"))
    form = ReferralForm(request.POST or None, clients=selectors.client_list_for(user), teams=teams,
                        initial={"client": request.GET.get("client")})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():  # a new client and its referral are saved together or not at all
                client = data["client"] or services.client_create(
                    actor=user, team=data["team"], first_name=data["new_first_name"], last_name=data["new_last_name"],
                    date_of_birth=data["new_date_of_birth"], language=data["preferred_language"] or "en",
                )
                referral = services.referral_create(
                    actor=user, client=client, team=data["team"], reason=data["reason"], urgency=data["urgency"],
                    preferred_language=data["preferred_language"], preferred_peer_gender=data["preferred_peer_gender"],
                    preferred_modality=data["preferred_modality"], preferred_experiences=list(data["preferred_experiences"]),
                )
        except ServiceError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.reason)
        else:
            messages.success(request, _("Referral sent to the peer support team."))
            return redirect("clients:referral_detail", referral_id=referral.pk)
    return render(request, "clients/referral_form.html", {"form": form}, status=400 if form.errors else 200)


@allow(INBOX_READERS)
def referral_detail(request: AuthedRequest, referral_id: int) -> HttpResponse:
    referral = selectors.referral_get_for(request.user, referral_id)
    role = request.user.role
    handles = role in REFERRAL_HANDLERS
    show_suggestions = role in {Role.SUPERVISOR, Role.LEADER} and referral.status in {ReferralStatus.NEW, ReferralStatus.ACCEPTED}
    context = {
        "referral": referral,
        "handles": handles,
        "suggestions": suggest_peers(referral) if show_suggestions else [],
        "assign_form": AssignForm(peers=peers_in_organisation(user=request.user)) if show_suggestions else None,
        "reason_form": ReasonForm(),
        "is_peer": role == Role.PEER,
    }
    return render(request, "clients/referral_detail.html", context)


def _referral_action(request: AuthedRequest, referral_id: int, action: str) -> HttpResponse:
    user = request.user
    selectors.referral_get_for(user, referral_id, audit=False)  # missing or not visible: 404 before anything else
    try:
        if action == "accept":
            services.referral_accept(actor=user, referral_id=referral_id, take_on=request.POST.get("take_on") == "1")
            messages.success(request, _("Referral accepted."))
        elif action in {"decline", "close"}:
            form = ReasonForm(request.POST)
            reason = form.data.get("reason", "")
            service = services.referral_decline if action == "decline" else services.referral_close
            service(actor=user, referral_id=referral_id, reason=reason)
            messages.success(request, _("Referral declined.") if action == "decline" else _("Referral closed."))
        elif action == "assign":
            assign_form = AssignForm(request.POST, peers=peers_in_organisation(user=user))
            if not assign_form.is_valid():
                raise ServiceError(_("Choose a peer support worker."), field="peer")
            services.referral_assign(actor=user, referral_id=referral_id, peer=assign_form.cleaned_data["peer"])
            messages.success(request, _("Referral assigned."))
    except ServiceError as exc:
        messages.error(request, exc.reason)
    return redirect("clients:referral_detail", referral_id=referral_id)


@require_POST
@allow(REFERRAL_HANDLERS)
def referral_accept(request: AuthedRequest, referral_id: int) -> HttpResponse:
    return _referral_action(request, referral_id, "accept")


@require_POST
@allow(REFERRAL_HANDLERS)
def referral_decline(request: AuthedRequest, referral_id: int) -> HttpResponse:
    return _referral_action(request, referral_id, "decline")


@require_POST
@allow({Role.SUPERVISOR, Role.LEADER, Role.PEER})
def referral_assign(request: AuthedRequest, referral_id: int) -> HttpResponse:
    return _referral_action(request, referral_id, "assign")


@require_POST
@allow(REFERRAL_HANDLERS)
def referral_close(request: AuthedRequest, referral_id: int) -> HttpResponse:
    return _referral_action(request, referral_id, "close")
