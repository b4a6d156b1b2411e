"""The resource types the server offers: for each, the scoped rows (``policies``), the mapper, and what its
search parameters filter on. One table, used by the read/search views, the CapabilityStatement and export."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

from django.db.models import Model, Prefetch, QuerySet

from peerpath.care.models import Goal
from peerpath.care.selectors import care_team_for
from peerpath.clients.models import Match
from peerpath.interop.fhir import (
    careplan,
    careteam,
    encounter,
    observation,
    organization,
    patient,
    policies,
    practitioner,
    questionnaire,
    servicerequest,
)
from peerpath.interop.fhir.context import MapContext
from peerpath.measures.models import InstrumentItem, ItemAnswer
from peerpath.measures.selectors import questions
from peerpath.workforce.models import Credential


@dataclass(frozen=True)
class ResourceSpec:
    type: str
    rows: Callable[[Any], QuerySet[Any]]
    render: Callable[[Any, MapContext], dict[str, Any]]
    identifier_kind: str
    updated_path: str = "updated_at"
    patient_path: str | None = None  # ORM path to the client id, for ``patient`` / ``subject``
    date_path: str | None = None  # ORM path searched by ``date`` (or ``birthdate`` for Patient)
    date_param: str = "date"
    client_of: Callable[[Any], Any] = field(default=lambda obj: None)
    audit_target: Callable[[Any], Model] = field(default=lambda obj: obj)
    description: str = ""


def _care_team(client: Any, ctx: MapContext) -> dict[str, Any]:
    """``care.selectors.care_team_for``'s answer, batched: the team's members from the selector once per team, the
    matched peers from the rows' prefetched active matches (the selector's own rule, in its order)."""
    if not hasattr(client, "fhir_matches"):
        team = care_team_for(client)
        return careteam.to_fhir(client, ctx, peers=team["peers"], members=team["members"])
    members = ctx.memo(("care-team-members", client.team_id), lambda: care_team_for(client)["members"])
    peers = sorted({m.peer_id: m.peer for m in client.fhir_matches}.values(),
                   key=lambda s: (s.first_name, s.last_name, s.username))
    return careteam.to_fhir(client, ctx, peers=peers, members=members)


def _plan(plan: Any, ctx: MapContext) -> dict[str, Any]:
    return careplan.plan_to_fhir(plan, ctx, goals=list(plan.fhir_goals))


def _questionnaire(instrument: Any, ctx: MapContext) -> dict[str, Any]:
    return questionnaire.to_fhir(instrument, ctx, questions=questions(instrument, ctx.organisation.pk, "en"))


def _response(administration: Any, ctx: MapContext) -> dict[str, Any]:
    """The instrument's items and answer labels are read once per instrument (not per response, per chunk)."""
    instrument = administration.instrument
    labels = ctx.memo(("answer-labels", instrument.pk),
                      lambda: {(o.option_set, o.value): o.label for o in instrument.options.all()})
    items = ctx.memo(("items", instrument.pk), lambda: {i.pk: i for i in InstrumentItem.objects.filter(instrument=instrument)})
    answers = sorted((SimpleNamespace(item=items[a.item_id], value=a.value) for a in administration.fhir_answers),
                     key=lambda a: a.item.number)
    return observation.response_to_fhir(administration, ctx, answers=answers, labels=labels)


SPECS: dict[str, ResourceSpec] = {spec.type: spec for spec in [
    ResourceSpec(
        "Patient", lambda a: policies.clients(a).select_related("team"), patient.to_fhir, "client",
        patient_path="pk", date_path="date_of_birth", date_param="birthdate", client_of=lambda c: c,
        description="Clients the reader may see on the pages.",
    ),
    ResourceSpec(
        "Practitioner", lambda a: policies.staff(a).prefetch_related(Prefetch(
            "credentials", queryset=Credential.objects.filter(is_active=True).order_by("issued_on", "pk"),
            to_attr="fhir_credentials")), practitioner.to_fhir, "staff",
        updated_path="date_joined", description="Staff of the organisation; lived experience is never included.",
    ),
    ResourceSpec(
        "PractitionerRole", lambda a: policies.staff(a), practitioner.role_to_fhir, "staff", updated_path="date_joined",
        description="One role per staff member; peers as NUCC 175T00000X Peer Specialist.",
    ),
    ResourceSpec("Organization", policies.organisations, organization.to_fhir, "organisation"),
    ResourceSpec(
        "CareTeam", lambda a: policies.clients(a).select_related("team").prefetch_related(Prefetch(
            "matches", queryset=Match.objects.filter(is_active=True).select_related("peer"), to_attr="fhir_matches")),
        _care_team, "care-team",
        patient_path="pk", client_of=lambda c: c, description="Each client's care team (id = the client's id).",
    ),
    ResourceSpec(
        "ServiceRequest", lambda a: policies.referrals(a).select_related("client"), servicerequest.to_fhir, "referral",
        patient_path="client_id", date_path="created_at", client_of=lambda r: r.client,
        description="Referrals to peer support.",
    ),
    ResourceSpec(
        "Encounter", lambda a: policies.attendances(a).select_related("encounter", "client"), encounter.to_fhir,
        "encounter", updated_path="encounter__updated_at", patient_path="client_id", date_path="started_at",
        client_of=lambda att: att.client, audit_target=lambda att: att.encounter,
        description="One Encounter per client attending a peer encounter (id = the attendance).",
    ),
    ResourceSpec(
        "Goal", lambda a: policies.goals(a).select_related("plan"), careplan.goal_to_fhir, "goal",
        patient_path="plan__client_id", date_path="target_on", date_param="target-date",
        client_of=lambda g: g.plan.client, description="Recovery-plan goals in the client's own words.",
    ),
    ResourceSpec(
        "CarePlan",
        lambda a: policies.plans(a).prefetch_related(
            Prefetch("goals", queryset=Goal.objects.filter(is_active=True), to_attr="fhir_goals")),
        _plan, "recovery-plan", patient_path="client_id", date_path="created_at", client_of=lambda p: p.client,
        description="The client's active recovery plan.",
    ),
    ResourceSpec(
        "Questionnaire", policies.instruments, _questionnaire, "instrument",
        description="The instrument library: shipped instruments and the organisation's own.",
    ),
    ResourceSpec(
        "QuestionnaireResponse",
        lambda a: policies.responses(a).select_related("instrument", "client").prefetch_related(Prefetch(
            "answers", queryset=ItemAnswer.objects.order_by().only("id", "administration_id", "item_id", "value"),
            to_attr="fhir_answers")),
        _response, "administration", patient_path="client_id", date_path="completed_at",
        client_of=lambda adm: adm.client, description="Item answers of completed measures (not for clinicians).",
    ),
    ResourceSpec(
        "Observation", lambda a: policies.scores(a).select_related("instrument", "client"), observation.score_to_fhir,
        "score", patient_path="client_id", date_path="completed_at", client_of=lambda adm: adm.client,
        description="Total scores (US Core screening assessment), derived from the QuestionnaireResponse.",
    ),
]}
