"""The Django admin is for platform operators (superusers) only; organisations' own admins
work through Peerpath's pages, which are scoped to their organisation."""

from django.contrib import admin
from django.http import HttpRequest

from peerpath.core.models import Organisation, Team


def _superuser_only(request: HttpRequest) -> bool:
    return bool(request.user.is_active and request.user.is_superuser)


admin.site.has_permission = _superuser_only  # type: ignore[method-assign]
admin.site.site_header = "Peerpath platform administration"


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "require_mfa", "is_active"]


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "team_type", "is_active"]
    list_filter = ["organisation", "team_type"]
