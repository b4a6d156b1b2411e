"""The integration page: the two gradients per team over time, the integration index month by month, and
every underlying figure in tables."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render

from peerpath.core.access import AuthedRequest, allow
from peerpath.implementation.integration import charts, rules, selectors
from peerpath.implementation.integration.forms import IntegrationFilterForm


@allow(rules.READERS)
def integration_page(request: AuthedRequest) -> HttpResponse:
    form = IntegrationFilterForm(request.GET or None, user=request.user)
    if form.is_bound and not form.is_valid():
        return render(request, "implementation/integration/page.html", {"form": form}, status=400)
    data = form.cleaned_data if form.is_bound else {}
    team = data.get("team")
    metrics = selectors.integration_metrics(user=request.user, months=data.get("months") or selectors.DEFAULT_MONTHS,
                                            team_id=team.pk if team else None)
    return render(request, "implementation/integration/page.html", {
        "form": form, "metrics": metrics, "rows": charts.summary_rows(metrics),
        "gradients": charts.gradients_chart(metrics), "index_chart": charts.index_chart(metrics),
        "index_rows": charts.index_rows(metrics)})
