"""Peer certification credentials, their expiry status, and the daily reminders before they lapse."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from peerpath.core.access import ALL_ROLES, AuthedRequest, allow
from peerpath.core.exceptions import ServiceError
from peerpath.workforce.credentials import forms, selectors, services
from peerpath.workforce.staff import selectors as staff_selectors
from peerpath.workforce.staff.views import _form_error


@allow(ALL_ROLES)
def credentials(request: AuthedRequest) -> HttpResponse:
    user = request.user
    staff_qs = staff_selectors.visible_staff(user) if user.role in services.CREDENTIAL_MANAGERS else \
        staff_selectors.visible_staff(user).filter(pk=user.pk)
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
