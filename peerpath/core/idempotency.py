"""A repeated submission is carried out once: idempotency keys for every write (POST, PUT, PATCH, DELETE),
page or API.

A form renders a hidden ``idempotency_key`` (``{% idempotency_field %}``, one new key per render); an API
client sends an ``Idempotency-Key`` header; the offline queue resends with the same key. The middleware
records (person, key) *before* the view runs, in its own committed insert, under a unique constraint:

* the first request runs and its answer (status, body, redirect) is stored with the key;
* a repeat gets the stored answer again, without running the view;
* a repeat that arrives while the first is still running waits briefly for its answer (the unique insert
  failed, so it can never run the work too), else gets 409;
* the same key on a different address is refused (422): keys are not to be shared between actions;
* a refusal (4xx), a server error, or an answer too large to store frees the key, so the person can
  correct and send again (a refusal wrote nothing; a server error rolled back).

Keys are kept for ``IDEMPOTENCY_KEY_TTL`` (24 h); ``idempotency_keys_purge`` (a daily job) removes older ones.
The stored answer is the person's own, shown only to them, and gone after a day.
"""

from __future__ import annotations

import hashlib
import logging
import re
import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone

logger = logging.getLogger(__name__)

HEADER = "Idempotency-Key"
FIELD = "idempotency_key"
TTL = timedelta(hours=24)
WAIT_SECONDS = 10.0  # how long a repeat waits for the first request's answer
MAX_STORED_BODY = 512 * 1024
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
_VALID_KEY = re.compile(r"^[A-Za-z0-9_.:-]{8,100}$")


class IdempotencyKey(models.Model):
    """One person's use of one key, and the answer they got."""

    staff = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=100)
    request_fingerprint = models.CharField(max_length=64, help_text="hash of method and path")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True, help_text="empty while the first request runs")
    content_type = models.CharField(max_length=100, blank=True)
    location = models.CharField(max_length=2000, blank=True)
    body = models.BinaryField(blank=True, default=b"")

    class Meta:
        app_label = "core"
        constraints = [models.UniqueConstraint(fields=["staff", "key"], name="idempotency_key_once_per_person")]

    def __str__(self) -> str:
        return f"idempotency key {self.key}"


def _fingerprint(request: HttpRequest) -> str:
    return hashlib.sha256(f"{request.method} {request.path}".encode()).hexdigest()


def _key_of(request: HttpRequest) -> str | None:
    key = request.headers.get(HEADER)
    if key is None and request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        key = request.POST.get(FIELD)
    return key or None


def _staff_id(request: HttpRequest) -> int | None:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return user.pk
    auth = request.headers.get("Authorization", "")
    if auth.lower().startswith("bearer "):
        from django.apps import apps

        from peerpath.core.api_support import hash_token

        # By name, not by import: core imports no domain app.
        return apps.get_model(settings.AUTH_USER_MODEL.split(".")[0], "ApiToken").objects.filter(key_hash=hash_token(auth[7:].strip()), is_active=True).values_list(
            "staff_id", flat=True).first()
    return None


def _problem(request: HttpRequest, status: int, detail: str) -> HttpResponse:
    return JsonResponse({"detail": detail, "errors": [{"field": FIELD, "reason": detail}]}, status=status)


def _replay(row: IdempotencyKey) -> HttpResponse:
    response = HttpResponse(bytes(row.body), status=row.status_code or 200, content_type=row.content_type or None)
    if row.location:
        response["Location"] = row.location
    response["Idempotent-Replayed"] = "true"
    return response


def _claim(staff_id: int, key: str, fingerprint: str) -> IdempotencyKey | None:
    """Insert (person, key) and commit it at once; ``None`` if it was already there."""
    IdempotencyKey.objects.filter(staff_id=staff_id, key=key, created_at__lt=timezone.now() - TTL).delete()
    try:
        with transaction.atomic():
            return IdempotencyKey.objects.create(staff_id=staff_id, key=key, request_fingerprint=fingerprint)
    except IntegrityError:
        return None


def _answer_of_earlier(staff_id: int, key: str, fingerprint: str, request: HttpRequest) -> HttpResponse:
    deadline = time.monotonic() + WAIT_SECONDS
    while True:
        row = IdempotencyKey.objects.filter(staff_id=staff_id, key=key).first()
        if row is None:  # the first attempt failed and freed the key meanwhile
            return _problem(request, 409, "The first attempt failed; submit again.")
        if row.request_fingerprint != fingerprint:
            return _problem(request, 422, "This idempotency key was used for a different action.")
        if row.status_code is not None:
            return _replay(row)
        if time.monotonic() >= deadline:
            return _problem(request, 409, "The same request is still being processed; try again shortly.")
        time.sleep(0.05)


def _store(row: IdempotencyKey, response: HttpResponse) -> None:
    # Only what succeeded is kept: a refusal (bad input, CSRF, permission) wrote nothing, so the person may
    # correct it and send the same key again; a server error rolled back.
    storable = response.status_code < 400 and not response.streaming and len(response.content) <= MAX_STORED_BODY
    if not storable:
        row.delete()
        return
    row.status_code = response.status_code
    row.content_type = response.get("Content-Type", "")[:100]
    row.location = response.get("Location", "")[:2000]
    row.body = response.content
    row.save(update_fields=["status_code", "content_type", "location", "body"])


class IdempotencyMiddleware:
    """Carries out a write with an idempotency key once per person (see the module docstring). PUT and DELETE
    are idempotent in effect already, but a repeat would still be a second audited change: it is replayed too."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method not in WRITE_METHODS:
            return self.get_response(request)
        key = _key_of(request)
        if key is None:
            return self.get_response(request)
        if not _VALID_KEY.match(key):
            return _problem(request, 422, "An idempotency key is 8 to 100 letters, digits or - _ . :")
        staff_id = _staff_id(request)
        if staff_id is None:
            return self.get_response(request)  # not signed in: the view refuses it as usual
        fingerprint = _fingerprint(request)
        row = _claim(staff_id, key, fingerprint)
        if row is None:
            return _answer_of_earlier(staff_id, key, fingerprint, request)
        try:
            response = self.get_response(request)
        except BaseException:
            row.delete()
            raise
        _store(row, response)
        return response


def idempotency_keys_purge(*, now: Any = None) -> int:
    """Remove keys older than a day (daily job)."""
    cutoff = (now or timezone.now()) - TTL
    deleted, _ = IdempotencyKey.objects.filter(created_at__lt=cutoff).delete()
    return deleted
