"""The administrator's interoperability page: registered systems (SMART Backend Services), recent Bundle
imports with their refused entries, and bulk exports."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from peerpath.core.access import AuthedRequest, allow
from peerpath.core.choices import Role
from peerpath.core.exceptions import ServiceError
from peerpath.interop import selectors
from peerpath.interop.fhir import smart
from peerpath.interop.forms import SystemClientForm


@allow({Role.ADMIN})
def overview(request: AuthedRequest) -> HttpResponse:
    form = SystemClientForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                client = smart.system_client_register(actor=request.user, name=form.cleaned_data["name"],
                                                      jwks=form.cleaned_data["jwks"], scopes=form.cleaned_data["scopes"])
            except ServiceError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.reason)
            else:
                messages.success(request, _("%(name)s is registered. Its client id is %(id)s.")
                                 % {"name": client.name, "id": client.client_id})
                return redirect("interop:overview")
        status = 400
    context = {
        "form": form,
        "systems": selectors.system_clients_for(request.user),
        "imports": selectors.recent_imports_for(request.user),
        "exports": selectors.recent_exports_for(request.user),
        "fhir_base": request.build_absolute_uri("/fhir/r4"),
    }
    return render(request, "interop/overview.html", context, status=status)
