"""Errors services raise; pages turn them into form errors, the API into structured 4xx."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied


class ServiceError(Exception):
    """A request that cannot be carried out as asked.

    ``reason`` is already translated (``gettext``) for the person who asked; ``field`` names the
    input it is about, in the service's own argument names (forms and API schemas use the same
    names, so nobody keeps a map); ``code`` is a stable machine-readable word (``"not_found"``,
    ``"required"``, ``"too_long"``, ``"conflict"`` ...) for API clients.
    """

    def __init__(self, reason: str, *, field: str | None = None, code: str = "invalid") -> None:
        super().__init__(reason)
        self.reason = str(reason)
        self.field = field
        self.code = code


class NotAllowed(PermissionDenied):
    """The actor may not do this (raised by ``Policy.check`` before any write)."""
