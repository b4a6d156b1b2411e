"""FHIR routes in the access matrix: each type's read (organisation A's record) and search, per role.

Reads of another organisation's record answer 404; roles that may not read a type at all get 403; anonymous
browsers are sent to sign in (FHIR clients sending ``Accept: application/fhir+json`` get 401, tested in
``fhir/tests/test_server.py``)."""

from __future__ import annotations

from typing import Any

from peerpath.interop.fhir.policies import ROLES_BY_TYPE
from peerpath.testing.access import Route


def _completed(w: Any) -> int:
    from peerpath.measures.tests.factories import completed

    return completed(w.a).pk


def _own_instrument(w: Any) -> int:
    from peerpath.measures.models import Instrument

    return Instrument.objects.create(organisation=w.a.organisation, code="own", name="Own check-in").pk


READ_TARGETS = {
    "Patient": lambda w: w.a.client.pk,
    "Practitioner": lambda w: w.a.users["peer"].pk,
    "PractitionerRole": lambda w: w.a.users["peer"].pk,
    "Organization": lambda w: w.a.organisation.pk,
    "CareTeam": lambda w: w.a.client.pk,
    "ServiceRequest": lambda w: w.a.referral.pk,
    "Encounter": lambda w: w.a.encounter.attendance.get().pk,
    "Goal": lambda w: w.a.goal.pk,
    "CarePlan": lambda w: w.a.plan.pk,
    "Questionnaire": _own_instrument,
    "QuestionnaireResponse": _completed,
    "Observation": _completed,
}


def _read_kwargs(resource_type: str) -> Any:
    return lambda w: {"resource_id": str(READ_TARGETS[resource_type](w))}


ROUTES = [Route("fhir:metadata", allowed=set(), public=True)]
for _type, _roles in ROLES_BY_TYPE.items():
    _name = _type.lower()
    ROUTES += [
        Route(f"fhir:{_name}_read", allowed=set(_roles), kwargs=_read_kwargs(_type)),
        Route(f"fhir:{_name}_search", allowed=set(_roles), org_bound=False),
        Route(f"fhir:{_name}_search_post", allowed=set(_roles), org_bound=False),
    ]

# A form-encoded POST (how the matrix posts to pages) is not a Bundle: roles that may import get past the access
# check and are told so (400); everyone else is refused first. Real imports: fhir/tests/test_bundle_import.py.
# The matrix posts an empty form: an allowed caller is told to send FHIR JSON (415).
ROUTES.append(Route("fhir:bundle", allowed={"clinician", "supervisor", "leader"}, method="POST", data=lambda w: {},
                    ok=frozenset({415}), org_bound=False))
ROUTES += [
    # Public by design (OAuth token endpoint, SMART discovery); an empty token request is refused with 400.
    Route("fhir:token", allowed=set(), public=True, method="POST", data=lambda w: {}, ok=frozenset({400})),
    Route("fhir:smart_configuration", allowed=set(), public=True),
]


def _queued_export(w: Any) -> dict[str, Any]:
    from peerpath.interop.models import BulkExport

    export = BulkExport.objects.create(organisation=w.a.organisation, requested_by=w.a.users["admin"], level="system",
                                       types=["Patient"], request_url="http://testserver/fhir/r4/$export")
    return {"export_id": export.pk}


def _finished_export(w: Any) -> dict[str, Any]:
    import datetime as dt

    from django.utils import timezone

    from peerpath.interop.fhir.bulk import export_dir
    from peerpath.interop.models import BulkExport

    export = BulkExport.objects.create(organisation=w.a.organisation, requested_by=w.a.users["admin"], level="system",
                                       types=["Patient"], request_url="http://testserver/fhir/r4/$export",
                                       status="done", output=[{"type": "Patient", "count": 0}],
                                       expires_at=timezone.now() + dt.timedelta(hours=1))
    export_dir(export).mkdir(parents=True, exist_ok=True)
    (export_dir(export) / "Patient.ndjson").write_text("")
    return {"export_id": export.pk, "resource_type": "Patient"}


EXPORTERS = {"leader", "admin"}
ACCEPTED = frozenset({202})
ROUTES += [
    # Kick-off is accepted (202) for organisation-wide readers; the job itself is queued after commit, which the
    # matrix's rolled-back calls never reach. Status and files belong to the requester only.
    Route("fhir:export_system", allowed=EXPORTERS, ok=ACCEPTED, org_bound=False),
    Route("fhir:export_patient", allowed=EXPORTERS, ok=ACCEPTED, org_bound=False),
    Route("fhir:export_group", allowed=EXPORTERS, ok=ACCEPTED, kwargs=lambda w: {"group_id": str(w.a.team.pk)}),
    Route("fhir:export_status", allowed={"admin"}, ok=ACCEPTED, kwargs=_queued_export),
    Route("fhir:export_file", allowed={"admin"}, kwargs=_finished_export),
]
ROUTES.append(Route("interop:overview", allowed={"admin"}))
