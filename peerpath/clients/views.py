from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from peerpath.accounts.selectors import peers_in_organisation
from peerpath.care import selectors as care_selectors
from peerpath.clients import selectors, services
from peerpath.clients.choices import ReferralStatus
from peerpath.clients.forms import AssignForm, BulkReferralForm, ClientSearchForm, ReasonForm, ReferralForm
from peerpath.clients.matching import suggest_peers
from peerpath.clients.models import Client
from peerpath.clients.policies import (
    ASSIGN_REFERRAL,
    BULK_HANDLE_REFERRALS,
    CLOSE_REFERRAL,
    HANDLE_REFERRAL,
    READ_CLIENTS,
    READ_REFERRALS,
    REFER,
    SUGGEST_PEERS,
)
from peerpath.core.access import AuthedRequest, allow
from peerpath.core.choices import Role
from peerpath.core.exceptions import ServiceError
from peerpath.core.forms_support import form_error
from peerpath.core.widgets import typeahead_field_name
from peerpath.measures.administrations import selectors as measures_selectors


@allow(READ_CLIENTS)
def client_list(request: AuthedRequest) -> HttpResponse:
    form = ClientSearchForm(request.GET or None)
    search = form.cleaned_data["q"] if form.is_valid() else ""
    clients = selectors.client_list_for(request.user, search=search)
    page = Paginator(clients, 50).get_page(request.GET.get("page"))
    page.object_list = selectors.clients_shown(request.user, page.object_list, search=bool(search))
    template = "clients/_client_rows.html" if request.htmx else "clients/client_list.html"
    return render(request, template, {"form": form, "page": page, "can_refer": REFER.allows(request.user)})


@allow(READ_CLIENTS)
def client_search(request: AuthedRequest) -> HttpResponse:
    """The client type-ahead's answer: up to ten matching clients the reader may see (audited),
    each with birth date and record number so two people with one name can be told apart."""
    field = typeahead_field_name(request)
    query = request.GET.get(f"{field}__search", request.GET.get("q", ""))
    clients = selectors.client_search_for(request.user, query)
    options = [{"pk": c.pk, "label": c.display_name, "detail": client_detail_line(c)} for c in clients]
    return render(request, "core/widgets/typeahead_options.html",
                  {"field": field, "options": options, "too_short": len(query.strip()) < 2})


def client_detail_line(client: Client) -> str:
    born = date_format(client.date_of_birth, "SHORT_DATE_FORMAT") if client.date_of_birth else "—"
    return _("born %(born)s · record %(record)s") % {"born": born, "record": client.record_number or "—"}


@allow(READ_CLIENTS)
def client_detail(request: AuthedRequest, client_id: int) -> HttpResponse:
    client = selectors.client_get_for(request.user, client_id)
    context = {
        "client": client,
        "plan": care_selectors.active_plan(client),
        "timeline": care_selectors.client_timeline(user=request.user, client=client),
        "care_team": care_selectors.care_team_for(client),
        "referrals": selectors.client_referrals(client, request.user),
        "is_my_client": selectors.is_matched_peer(request.user, client),
    }
    return render(request, "clients/client_detail.html", context)


@allow(READ_REFERRALS)
def referral_inbox(request: AuthedRequest) -> HttpResponse:
    # The inbox opens on what needs action; "all" and each status are a click away.
    status = request.GET.get("status") or selectors.NEEDS_ACTION
    if status not in (*ReferralStatus.values, selectors.NEEDS_ACTION, "all"):
        status = selectors.NEEDS_ACTION
    referrals = selectors.referral_inbox_for(request.user, status=None if status == "all" else status)
    page = Paginator(referrals, 40).get_page(request.GET.get("page"))
    page.object_list = selectors.referrals_shown(request.user, page.object_list)
    context = {
        "page": page, "status": status, "counts": selectors.referral_status_counts(request.user),
        "statuses": ReferralStatus.choices, "can_refer": REFER.allows(request.user),
        "needs_action": selectors.NEEDS_ACTION, "overdue": selectors.overdue_referral_count(request.user),
        "bulk_form": (BulkReferralForm(peers=peers_in_organisation(user=request.user))
                      if BULK_HANDLE_REFERRALS.allows(request.user) else None),
    }
    if not request.htmx:  # the supervisor's start page: open safety alerts of their teams' clients first
        context["alerts"] = measures_selectors.open_alerts_shown(request.user)
    template = "clients/_referral_rows.html" if request.htmx else "clients/referral_inbox.html"
    return render(request, template, context)


@allow(REFER)
def referral_create(request: AuthedRequest) -> HttpResponse:
    user = request.user
    teams = selectors.referral_teams_for(user)
    choices = selectors.client_list_for(user)
    form = ReferralForm(request.POST or None, clients=choices, teams=teams,
                        initial={"client": request.GET.get("client")})
    duplicates: list[Client] = []
    if request.method == "POST" and form.is_valid() and not form.cleaned_data["client"] \
            and not form.cleaned_data["not_a_duplicate"]:
        data = form.cleaned_data
        duplicates = selectors.likely_duplicates(user, first_name=data["new_first_name"], last_name=data["new_last_name"],
                                                 date_of_birth=data["new_date_of_birth"], phone=data["new_phone"])
        if duplicates:
            form.add_error("not_a_duplicate", _("This person may already be registered: choose them below, or tick "
                                                "this box if they are someone else."))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():  # a new client and its referral are saved together or not at all
                client = data["client"] or services.client_create(
                    actor=user, team=data["team"], first_name=data["new_first_name"], last_name=data["new_last_name"],
                    date_of_birth=data["new_date_of_birth"], language=data["preferred_language"] or "en",
                    phone=data["new_phone"], sex=data["new_sex"], diagnosis_group=data["new_diagnosis_group"],
                )
                referral = services.referral_create(
                    actor=user, client=client, team=data["team"], reason=data["reason"], urgency=data["urgency"],
                    preferred_language=data["preferred_language"], preferred_peer_gender=data["preferred_peer_gender"],
                    preferred_modality=data["preferred_modality"], preferred_experiences=list(data["preferred_experiences"]),
                )
        except ServiceError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("Referral sent to the peer support team."))
            return redirect("clients:referral_detail", referral_id=referral.pk)
    selectors.client_choices_shown(user, choices, purpose="clients.referral_form")
    duplicate_rows = [{"client": c, "detail": client_detail_line(c)} for c in duplicates]
    return render(request, "clients/referral_form.html", {"form": form, "duplicates": duplicate_rows},
                  status=400 if form.errors else 200)


@allow(READ_REFERRALS)
def referral_detail(request: AuthedRequest, referral_id: int) -> HttpResponse:
    referral = selectors.with_deadlines(request.user, [selectors.referral_get_for(request.user, referral_id)])[0]
    role = request.user.role
    handles = HANDLE_REFERRAL.allows(request.user)
    show_suggestions = SUGGEST_PEERS.allows(request.user) and referral.status in {ReferralStatus.NEW, ReferralStatus.ACCEPTED}
    context = {
        "referral": referral,
        "handles": handles,
        "suggestions": suggest_peers(referral) if show_suggestions else [],
        "assign_form": AssignForm(peers=peers_in_organisation(user=request.user)) if show_suggestions else None,
        "reason_form": ReasonForm(),
        "is_peer": role == Role.PEER,
        "may_close": CLOSE_REFERRAL.allows(request.user, referral),
        # A supervisor may accept and assign in one step; a peer accepts (and takes it on) first.
        "may_assign": ASSIGN_REFERRAL.allows(request.user, referral) and role != Role.PEER,
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
@allow(HANDLE_REFERRAL)
def referral_accept(request: AuthedRequest, referral_id: int) -> HttpResponse:
    return _referral_action(request, referral_id, "accept")


@require_POST
@allow(HANDLE_REFERRAL)
def referral_decline(request: AuthedRequest, referral_id: int) -> HttpResponse:
    return _referral_action(request, referral_id, "decline")


@require_POST
@allow(ASSIGN_REFERRAL)
def referral_assign(request: AuthedRequest, referral_id: int) -> HttpResponse:
    return _referral_action(request, referral_id, "assign")


@require_POST
@allow(CLOSE_REFERRAL)
def referral_close(request: AuthedRequest, referral_id: int) -> HttpResponse:
    return _referral_action(request, referral_id, "close")


@require_POST
@allow(BULK_HANDLE_REFERRALS)
def referrals_bulk(request: AuthedRequest) -> HttpResponse:
    """The inbox's "with the ticked referrals" form: all of them declined or assigned, or none."""
    form = BulkReferralForm(request.POST, peers=peers_in_organisation(user=request.user))
    back = redirect(f"{reverse('clients:referral_inbox')}?{urlencode({'status': request.POST.get('status', '')[:20]})}")
    if not form.is_valid():
        messages.error(request, _("Choose what to do with the ticked referrals."))
        return back
    data = form.cleaned_data
    ids = [int(v) for v in request.POST.getlist("referral") if v.isdigit() and len(v) < 12]
    try:
        done = services.referrals_bulk(actor=request.user, referral_ids=ids, action=data["action"],
                                       reason=data["reason"], peer=data["peer"])
    except ServiceError as exc:
        messages.error(request, exc.reason)
    else:
        text = (ngettext("%(n)s referral declined.", "%(n)s referrals declined.", len(done)) if data["action"] == "decline"
                else ngettext("%(n)s referral assigned.", "%(n)s referrals assigned.", len(done)))
        messages.success(request, text % {"n": len(done)})
    return back
