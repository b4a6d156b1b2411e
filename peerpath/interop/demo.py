"""Demo data for interoperability: a registered EHR system, a recent batch import from it with one refused
entry (and its OperationOutcome), a re-sent Patient that updates the client's contact details, and a completed
bulk export for the funder's warehouse."""

from __future__ import annotations

import json
from typing import Any

from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from peerpath.interop.fhir import bulk, smart
from peerpath.interop.fhir.bundle import import_bundle
from peerpath.interop.models import BulkExport

EHR = "http://riverside-general.example.org"
ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode"


def _public_jwks() -> dict[str, Any]:
    """A fresh key pair; only the public half is registered (the demo never needs to sign)."""
    public = json.loads(RSAAlgorithm.to_jwk(rsa.generate_private_key(public_exponent=65537, key_size=2048).public_key()))
    public.update(kid="riverside-ehr-2026", alg="RS384", use="sig")
    return {"keys": [public]}


def _ehr_bundle() -> dict[str, Any]:
    def patient(n: int, family: str, given: str, born: str) -> dict[str, Any]:
        return {"fullUrl": f"urn:uuid:demo-patient-{n}", "resource": {
            "resourceType": "Patient", "identifier": [{"system": f"{EHR}/mrn", "value": f"RG-{7000 + n}"}],
            "name": [{"family": family, "given": [given]}], "gender": "unknown", "birthDate": born}}

    def encounter(n: int, patient_n: int, code: str, start: str, end: str | None = None) -> dict[str, Any]:
        period = {"start": start, **({"end": end} if end else {})}
        return {"fullUrl": f"urn:uuid:demo-encounter-{n}", "resource": {
            "resourceType": "Encounter", "identifier": [{"system": f"{EHR}/visit", "value": f"V-{n}"}],
            "status": "finished", "class": {"system": ACT_CODE, "code": code},
            "subject": {"reference": f"urn:uuid:demo-patient-{patient_n}"}, "period": period,
            "serviceProvider": {"display": "Riverside General"}}}

    return {"resourceType": "Bundle", "type": "batch", "entry": [
        patient(1, "Marsh", "Dana", "1988-05-17"),
        patient(2, "Ibarra", "Luis", "1979-11-02"),
        {"fullUrl": "urn:uuid:demo-referral-1", "resource": {
            "resourceType": "ServiceRequest", "identifier": [{"system": f"{EHR}/order", "value": "PS-3301"}],
            "status": "active", "intent": "order", "priority": "urgent", "subject": {"reference": "urn:uuid:demo-patient-1"},
            "reasonCode": [{"text": "Third admission this year; asked to talk to someone who has been through it."}]}},
        encounter(1, 1, "IMP", "2026-10-12T09:00:00Z", "2026-10-20T15:00:00Z"),
        encounter(2, 2, "EMER", "2026-11-03T23:10:00Z"),
        # Refused on purpose: an outpatient visit is not a service-use event Peerpath takes from the EHR.
        encounter(3, 2, "AMB", "2026-11-10T10:00:00Z"),
    ]}


def seed(ctx: Any) -> None:
    organisation = ctx.organisations[0]
    admin, leader = ctx.staff["admin"], ctx.staff["leader"]
    smart.system_client_register(
        actor=admin, name="Riverside General EHR", jwks=_public_jwks(),
        scopes="system/*.read system/Patient.write system/ServiceRequest.write system/Encounter.write")
    import_bundle(actor=leader, bundle=_ehr_bundle())
    # A week later the EHR re-sends Dana Marsh with new contact details: the same client, updated (not a second one).
    update = _ehr_bundle()["entry"][0]
    update["resource"]["telecom"] = [{"system": "phone", "value": "555-0148"},
                                     {"system": "email", "value": "dana.marsh@example.org"}]
    import_bundle(actor=leader, bundle={"resourceType": "Bundle", "type": "transaction", "entry": [update]})
    export = BulkExport.objects.create(
        organisation=organisation, requested_by=admin, level="patient",
        types=["Patient", "ServiceRequest", "Encounter", "Observation"],
        request_url="/fhir/r4/Patient/$export?_type=Patient,ServiceRequest,Encounter,Observation")
    bulk.run_export(export.pk)
