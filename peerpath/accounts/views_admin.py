"""The platform admin's sign-in is ours, not the Django admin's own form."""

from __future__ import annotations

from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from peerpath.core.access import public


@public
def platform_admin_login(request: HttpRequest) -> HttpResponse:
    """Send the admin site's login to allauth's sign-in page (same lockout, two-factor for
    platform administrators, see ``peerpath.accounts.mfa.mfa_required``)."""
    if request.user.is_authenticated and not request.user.is_staff:
        # Signed in but no platform administrator: sending them to sign in again would loop
        # (sign-in → admin → admin login → sign-in ...). Refuse instead.
        raise PermissionDenied
    target = request.GET.get("next") or reverse("admin:index")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        target = reverse("admin:index")
    return HttpResponseRedirect(f"{reverse('account_login')}?{urlencode({'next': target})}")
