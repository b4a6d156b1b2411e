"""Errors services raise; pages turn them into form errors, the API into structured 4xx."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied


class ServiceError(Exception):
    """A request that cannot be carried out as asked; names the field and the reason."""

    def __init__(self, reason: str, *, field: str | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.field = field


class NotAllowed(PermissionDenied):
    """The actor may not do this (raised by services before any write)."""
