"""Times in the organisation's own time zone.

Each request activates the signed-in person's organisation's zone (``Organisation.time_zone``
when the model has it, otherwise the deployment's ``TIME_ZONE``), so forms default to *now* there
and every page shows times in it; the footer names the zone.
"""

from __future__ import annotations

import zoneinfo
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone


def zone_for(user: object) -> zoneinfo.ZoneInfo:
    name = getattr(getattr(user, "organisation", None), "time_zone", "") or settings.TIME_ZONE
    try:
        return zoneinfo.ZoneInfo(str(name))
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo(settings.TIME_ZONE)


class OrganisationTimeZoneMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            timezone.activate(zone_for(user))
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
