"""Staff surveys (peer role agreement and workplace stigma), answered anonymously, shown for groups of at least five."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from peerpath.core.access import ALL_ROLES, AuthedRequest, allow
from peerpath.core.choices import Role
from peerpath.core.exceptions import ServiceError
from peerpath.workforce.staff.selectors import ORG_WIDE
from peerpath.workforce.staff.views import _form_error
from peerpath.workforce.surveys import forms, selectors, services
from peerpath.workforce.surveys import questions as survey


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
