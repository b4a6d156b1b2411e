"""Reads for the interoperability page: an admin's own organisation's systems, imports and exports."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from peerpath.core.choices import Role
from peerpath.interop.models import BulkExport, BundleImport, SystemClient


def _org(user: Any) -> int | None:
    return user.organisation_id if getattr(user, "role", None) == Role.ADMIN else None


def system_clients_for(user: Any) -> QuerySet[SystemClient]:
    return SystemClient.objects.filter(organisation_id=_org(user), is_active=True).order_by("name")


def recent_imports_for(user: Any, limit: int = 20) -> list[BundleImport]:
    return list(BundleImport.objects.filter(organisation_id=_org(user)).select_related("submitted_by")
                .order_by("-created_at")[:limit])


def recent_exports_for(user: Any, limit: int = 20) -> list[BulkExport]:
    return list(BulkExport.objects.filter(organisation_id=_org(user)).select_related("requested_by")
                .order_by("-created_at")[:limit])
