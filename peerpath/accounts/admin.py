"""The Django admin never shows a two-factor secret (allauth's own admin lists the raw data)."""

from allauth.mfa.models import Authenticator
from django.contrib import admin


class AuthenticatorAdmin(admin.ModelAdmin):
    raw_id_fields = ("user",)
    list_display = ("user", "type", "created_at", "last_used_at")
    list_filter = ("type", "created_at", "last_used_at")
    exclude = ("data",)
    readonly_fields = ("user", "type", "created_at", "last_used_at")

    def has_add_permission(self, request: object) -> bool:
        return False


if admin.site.is_registered(Authenticator):
    admin.site.unregister(Authenticator)
admin.site.register(Authenticator, AuthenticatorAdmin)
