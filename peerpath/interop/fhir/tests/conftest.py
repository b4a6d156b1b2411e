"""A FHIR-sized world: organisation A's records plus a completed PHQ-9 and K10, a phone group encounter, a
peer credential, a goal with a target date, and a peer's private lived experience that must never leave."""

from __future__ import annotations

import datetime as dt
import json
import secrets
from typing import Any

import pytest
from django.utils import timezone

from peerpath.accounts.tests.factories import ExperienceAreaFactory, PeerExperienceFactory, make_token
from peerpath.care.tests.factories import EncounterFactory
from peerpath.measures.tests.factories import completed
from peerpath.workforce.tests.factories import CredentialFactory

ACCEPT = "application/fhir+json"


@pytest.fixture
def fhir_world(world: Any) -> Any:
    a = world.a
    a.client.record_number = "MRN-0042"
    a.client.phone = "555-0100"
    a.client.save(update_fields=["record_number", "phone"])
    a.goal.target_on = timezone.localdate() + dt.timedelta(days=60)
    a.goal.save(update_fields=["target_on"])
    a.extra["phq9"] = completed(a)
    a.extra["k10"] = completed(a, code="k10", answers={i: 2 for i in range(1, 11)})
    a.extra["group"] = EncounterFactory(peer=a.users["peer"], clients=[a.client, a.unmatched_client], modality="phone",
                                        setting="remote", is_group=True, note="Private group note",
                                        started_at=timezone.now() - dt.timedelta(days=10))
    CredentialFactory(staff=a.users["peer"], organisation=a.organisation, name="Certified Peer Specialist",
                      issuer="State certification board", number="CPS-123")
    area = ExperienceAreaFactory(code="fhir-secret-area", name="Secret experience area")
    PeerExperienceFactory(owner=a.users["peer"], area=area, private_note="my private story")
    return world


@pytest.fixture
def fhir_get():
    """``fhir_get(user)(path, **params)`` → (status, json) with a bearer token, as an EHR would call."""
    from django.test import Client as DjangoClient

    def for_user(user: Any) -> Any:
        token = make_token(user, secret=f"pp_fhir_{user.pk}_{secrets.token_hex(4)}")
        http = DjangoClient(headers={"Authorization": f"Bearer {token}", "Accept": ACCEPT})

        def get(path: str, **params: Any) -> tuple[int, dict[str, Any], Any]:
            response = http.get(f"/fhir/r4/{path}", params)
            return response.status_code, json.loads(response.content or b"{}"), response

        return get

    return for_user
