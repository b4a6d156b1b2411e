"""Pages of the ratings area: rating rounds, the rating sheet per domain (phone and tablet), a round's
ratings with their evidence, and the heat-map."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from peerpath.core.access import AuthedRequest, allow
from peerpath.core.exceptions import ServiceError
from peerpath.core.forms_support import call_service
from peerpath.core.tenancy import organisation_teams
from peerpath.implementation.ratings import rules, selectors, services
from peerpath.implementation.ratings.forms import RoundForm, SheetForm, field_key
from peerpath.implementation.ratings.validation import parse_choice
from peerpath.implementation.reference.models import CfirDomain


@allow(rules.READERS)
def round_list(request: AuthedRequest) -> HttpResponse:
    user = request.user
    form = None
    if rules.may_rate_somewhere(user):
        form = RoundForm(request.POST or None, user=user, initial={"rated_on": timezone.localdate()})
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            created = call_service(form, services.cfir_round_create, actor=user, title=data["title"],
                                   rated_on=data["rated_on"], team=data["team"], notes=data["notes"])
            if created is not None:
                messages.success(request, _("The rating round is open. Rate one domain at a time."))
                return redirect("implementation:ratings_round_rate", created.pk, "I")
    elif request.method == "POST":
        raise PermissionDenied
    return render(request, "implementation/ratings/round_list.html",
                  {"rounds": selectors.rounds_for(user), "form": form}, status=400 if form and form.errors else 200)


def _domains(rating_round: Any) -> list[dict[str, Any]]:
    progress = selectors.domain_progress(rating_round)
    return [{"code": code, "name": name, "rated": progress[code][0], "total": progress[code][1]}
            for code, name in CfirDomain.choices]


@allow(rules.READERS)
def round_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    rating_round = selectors.round_for(request.user, pk)
    ratings = list(selectors.ratings_of(rating_round))
    by_domain: dict[str, list[dict[str, Any]]] = {code: [] for code in CfirDomain.values}
    for rating in ratings:
        by_domain[rating.construct.domain].append({"rating": rating, "cell": selectors.cell_of(rating)})
    domains = [dict(d, ratings=by_domain[d["code"]]) for d in _domains(rating_round)]
    return render(request, "implementation/ratings/round_detail.html", {
        "round": rating_round, "domains": domains,
        "may_rate": rules.may_rate(request.user, rating_round.team_id)})


@allow(rules.RATERS)
def round_rate(request: AuthedRequest, pk: int, domain: str) -> HttpResponse:
    rating_round = selectors.round_for(request.user, pk)
    if domain not in CfirDomain.values:
        raise Http404("No such domain.")
    if not rules.may_rate(request.user, rating_round.team_id):
        raise PermissionDenied
    groups = selectors.rating_sheet(rating_round, domain)
    entries = [entry for _role, group in groups for entry in group]
    form = SheetForm(request.POST or None, entries=entries)
    if request.method == "POST" and form.is_valid():
        changes = _changes(form, entries)
        if not form.errors:
            try:
                saved = services.cfir_ratings_save(actor=request.user, rating_round=rating_round, ratings=changes)
            except ServiceError as exc:
                name = (exc.field or "").split(".")[0]
                form.add_error(name if name in form.fields else None, exc.reason)
            else:
                messages.success(request, ngettext("%(n)s rating saved.", "%(n)s ratings saved.", len(saved))
                                 % {"n": len(saved)} if changes else _("Nothing changed."))
                following = _next_domain(domain)
                if "save_next" in request.POST and following:
                    return redirect("implementation:ratings_round_rate", pk, following)
                return redirect("implementation:ratings_round_rate", pk, domain)
    rows = {row["key"]: row for row in form.rows()}
    sections = [{"role": role, "rows": [rows[field_key(e)] for e in group]} for role, group in groups]
    return render(request, "implementation/ratings/round_rate.html", {
        "round": rating_round, "domain": domain, "domain_name": CfirDomain(domain).label, "form": form,
        "sections": sections, "domains": _domains(rating_round), "next_domain": _next_domain(domain),
    }, status=400 if form.errors else 200)


def _next_domain(domain: str) -> str:
    codes = list(CfirDomain.values)
    position = codes.index(domain)
    return codes[position + 1] if position + 1 < len(codes) else ""


def _changes(form: SheetForm, entries: list[selectors.SheetEntry]) -> list[dict[str, Any]]:
    """The entries whose rating or evidence differ from what is stored, as service input."""
    changes = []
    for entry in entries:
        key = field_key(entry)
        choice = form.cleaned_data.get(f"r-{key}") or ""
        evidence = (form.cleaned_data.get(f"e-{key}") or "").strip()
        current = entry.current
        base = {"construct": entry.construct.code, "role": entry.role.code if entry.role else None,
                "field": f"r-{key}", "evidence": evidence}
        if not choice:
            if evidence:
                form.add_error(f"r-{key}", _("Choose a rating for the evidence you wrote, or remove the evidence."))
            elif current is not None:
                changes.append(dict(base, value=""))
            continue
        value, score = parse_choice(choice)
        if current is not None and (current.value, current.score, current.evidence) == (value, score, evidence):
            continue
        changes.append(dict(base, value=value, score=score))
    return changes


@allow(rules.READERS)
def heatmap(request: AuthedRequest) -> HttpResponse:
    user = request.user
    teams = organisation_teams(user.organisation_id or 0).order_by("name")
    if user.role not in rules.ORG_RATERS and user.role != "evaluator":
        teams = teams.filter(pk__in=rules.team_ids(user))
    scope = request.GET.get("team", "")
    team = None
    if scope:
        team = teams.filter(pk=int(scope) if scope.isdigit() else 0).first()
        if team is None:
            raise Http404("No such team.")
    data = selectors.heatmap(user, team.pk if team else None)
    return render(request, "implementation/ratings/heatmap.html", {
        "heat": data, "teams": teams, "team": team, "palette": selectors.legend(),
        "span": len(data.rounds) + 1 + (1 if data.has_change else 0)})
