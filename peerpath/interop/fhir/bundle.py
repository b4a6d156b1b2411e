"""Import of a transaction or batch Bundle from an EHR: Patient + ServiceRequest → a client and a referral to
peer support (clients services); Encounter for an admission, discharge or emergency visit → a service-use event
(outcomes services). Idempotent on the EHR's identifiers (``ExternalIdentifier`` per source system): a re-sent
Bundle changes nothing. A transaction writes all or nothing; a refused entry comes back as an OperationOutcome
naming the element with a FHIRPath expression."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from peerpath.clients import services as client_services
from peerpath.clients.models import Client, Referral
from peerpath.clients.permissions import visible_clients
from peerpath.core.audit import audit_record
from peerpath.core.choices import AuditAction
from peerpath.core.exceptions import ServiceError
from peerpath.core.models import Team
from peerpath.interop.fhir.errors import FhirError, issue, operation_outcome
from peerpath.interop.fhir.patient import client_fields
from peerpath.interop.fhir.servicerequest import referral_fields
from peerpath.interop.models import BundleImport, ExternalIdentifier
from peerpath.outcomes import services as outcome_services
from peerpath.outcomes.models import ServiceEvent

IMPORT_ROLES = frozenset({"clinician", "supervisor", "leader"})  # may both register clients and record service use
ORDER = {"Patient": 0, "ServiceRequest": 1, "Encounter": 2}
EVENT_KIND_BY_CLASS = {"IMP": "admission", "ACUTE": "admission", "NONAC": "admission", "EMER": "emergency"}
FIELD_PATHS = {  # service field → FHIRPath inside the entry's resource
    "first_name": "name.given", "last_name": "name.family", "date_of_birth": "birthDate", "phone": "telecom",
    "email": "telecom", "preferred_name": "name", "record_number": "identifier", "language": "communication",
    "reason": "reasonCode", "urgency": "priority", "occurred_on": "period.start", "ended_on": "period.end",
    "kind": "class", "team": "", "facility": "serviceProvider", "status": "status",
}


class EntryError(Exception):
    def __init__(self, code: str, message: str, path: str = "") -> None:
        super().__init__(message)
        self.code, self.message, self.path = code, message, path


@dataclass
class Run:
    actor: Any
    team: Any
    clients_by_ref: dict[str, Client] = field(default_factory=dict)


def _identifiers(resource: dict[str, Any]) -> list[tuple[str, str]]:
    return [(i["system"], i["value"]) for i in resource.get("identifier") or [] if i.get("system") and i.get("value")]


def _known(actor: Any, resource_type: str, identifiers: list[tuple[str, str]]) -> int | None:
    for system, value in identifiers:
        row = ExternalIdentifier.objects.filter(organisation_id=actor.organisation_id, resource_type=resource_type,
                                                system=system, value=value, is_active=True).first()
        if row:
            return row.target_id
    return None


def _remember(actor: Any, resource_type: str, identifiers: list[tuple[str, str]], target_id: int) -> None:
    """Keep each identifier pointing at the record; one already doing so is left untouched (a re-send writes nothing)."""
    for system, value in identifiers:
        row, created = ExternalIdentifier.objects.get_or_create(
            organisation_id=actor.organisation_id, resource_type=resource_type, system=system, value=value,
            defaults={"target_id": target_id, "is_active": True})
        if not created and (row.target_id, row.is_active) != (target_id, True):
            row.target_id, row.is_active = target_id, True
            row.save(update_fields=["target_id", "is_active", "updated_at"])


def _date(value: str | None, path: str) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError as exc:
        raise EntryError("invalid", f"Not a date: {value}", path) from exc


def _record_number(resource: dict[str, Any]) -> str:
    return next((i.get("value", "") for i in resource.get("identifier") or []
                 if any(c.get("code") == "MR" for c in (i.get("type") or {}).get("coding") or [])), "")


def _details(resource: dict[str, Any]) -> dict[str, Any]:
    """The client details this Patient states (elements it leaves out are not details to clear)."""
    fields = client_fields(resource)
    details: dict[str, Any] = {"first_name": fields["first_name"], "last_name": fields["last_name"]}
    if resource.get("birthDate"):
        details["date_of_birth"] = _date(fields["date_of_birth"], "birthDate")
    if any(n.get("use") == "usual" for n in resource.get("name") or []):
        details["preferred_name"] = fields["preferred_name"]
    if resource.get("communication"):
        details["language"] = fields["language"][:8]
    if fields["phone"]:
        details["phone"] = fields["phone"][:40]
    if fields["email"]:
        try:
            validate_email(fields["email"])
        except ValidationError as exc:
            raise EntryError("invalid", f"Not an email address: {fields['email']}", "telecom") from exc
        details["email"] = fields["email"]
    record_number = _record_number(resource)
    if record_number:
        details["record_number"] = record_number[:40]
    return details


def _patient(run: Run, resource: dict[str, Any]) -> tuple[str, Client]:
    identifiers = _identifiers(resource)
    if not identifiers:
        raise EntryError("required", "A Patient needs an identifier with system and value.", "identifier")
    known = _known(run.actor, "Patient", identifiers)
    details = _details(resource)
    if known is not None:
        client = visible_clients(run.actor).filter(pk=known).first()
        if client is None:
            raise EntryError("forbidden", "This patient's record is not one you may update.", "identifier")
        client_services.client_update(actor=run.actor, client=client, **details)  # no change → no write, no audit
        _remember(run.actor, "Patient", identifiers, client.pk)  # an identifier the EHR added since
        return "200 OK", client
    client = client_services.client_create(actor=run.actor, team=run.team, **details)
    _remember(run.actor, "Patient", identifiers, client.pk)
    return "201 Created", client


def _subject(run: Run, resource: dict[str, Any], path: str) -> Client:
    subject = resource.get(path) or {}
    reference = subject.get("reference", "")
    if reference in run.clients_by_ref:
        return run.clients_by_ref[reference]
    ident = subject.get("identifier") or {}
    known = _known(run.actor, "Patient", [(ident.get("system", ""), ident.get("value", ""))]) if ident else None
    client = visible_clients(run.actor).filter(pk=known).first() if known else None
    if client is None:
        raise EntryError("not-found", "The subject is neither a Patient in this Bundle nor one Peerpath knows.", path)
    return client


def _service_request(run: Run, resource: dict[str, Any]) -> tuple[str, Referral | None]:
    identifiers = _identifiers(resource)
    if not identifiers:
        raise EntryError("required", "A ServiceRequest needs an identifier with system and value.", "identifier")
    client = _subject(run, resource, "subject")
    known = _known(run.actor, "ServiceRequest", identifiers)
    if known is not None:
        return "200 OK", Referral.objects.filter(pk=known, organisation_id=run.actor.organisation_id).first()
    fields = referral_fields(resource)
    referral = client_services.referral_create(actor=run.actor, client=client, reason=fields["reason"],
                                               urgency=fields["urgency"])
    status = resource.get("status")  # a referral the sender already ended arrives ended, through the same services
    if status == "revoked":
        referral = client_services.referral_decline(actor=run.actor, referral_id=referral.pk,
                                                    reason=_("Declined in the sending system."))
    elif status == "completed":
        client_services.referral_accept(actor=run.actor, referral_id=referral.pk)
        referral = client_services.referral_close(actor=run.actor, referral_id=referral.pk,
                                                  reason=_("Completed in the sending system."))
    _remember(run.actor, "ServiceRequest", identifiers, referral.pk)
    return "201 Created", referral


def _encounter(run: Run, resource: dict[str, Any]) -> tuple[str, ServiceEvent]:
    identifiers = _identifiers(resource)
    if not identifiers:
        raise EntryError("required", "An Encounter needs an identifier with system and value.", "identifier")
    class_code = (resource.get("class") or {}).get("code", "")
    kind = EVENT_KIND_BY_CLASS.get(class_code)
    if kind is None:
        raise EntryError("not-supported", f"Encounter class {class_code or '(none)'} is not an admission or "
                                          "emergency visit.", "class")
    client = _subject(run, resource, "subject")
    period = resource.get("period") or {}
    start, end = _date(period.get("start"), "period.start"), _date(period.get("end"), "period.end")
    facility = ((resource.get("serviceProvider") or {}).get("display") or "")[:200]
    known = _known(run.actor, "Encounter", identifiers)
    if known is not None:
        event = ServiceEvent.objects.filter(pk=known, organisation_id=run.actor.organisation_id, is_active=True).first()
        if event is not None and (event.occurred_on, event.ended_on, event.kind) == (start, end, kind):
            return "200 OK", event
        if event is not None:  # a discharge or correction: withdraw the old entry, record the new one
            outcome_services.service_event_deactivate(actor=run.actor, event=event)
    event = outcome_services.service_event_create(actor=run.actor, client=client, kind=kind, occurred_on=start,
                                                  ended_on=end if kind == "admission" else None, facility=facility)
    _remember(run.actor, "Encounter", identifiers, event.pk)
    return ("200 OK" if known is not None else "201 Created"), event


def _structure(resource: dict[str, Any]) -> None:
    from fhir.resources.R4B import get_fhir_model_class
    from pydantic import ValidationError

    try:
        get_fhir_model_class(resource.get("resourceType", "")).model_validate(resource)
    except ValidationError as exc:
        first = exc.errors()[0]
        path = ".".join(str(p) for p in first.get("loc", ()) if p != "__root__")
        raise EntryError("structure", first.get("msg", "invalid"), path) from exc
    except (KeyError, ValueError) as exc:
        raise EntryError("structure", f"Unknown resource type {resource.get('resourceType')!r}.", "resourceType") from exc


def _process(run: Run, resource: dict[str, Any], full_url: str) -> tuple[str, str]:
    _structure(resource)
    kind = resource["resourceType"]
    if kind == "Patient":
        status, client = _patient(run, resource)
        for ref in (full_url, f"Patient/{resource.get('id', '')}"):
            if ref and not ref.endswith("/"):
                run.clients_by_ref[ref] = client
        return status, f"Patient/{client.pk}"
    if kind == "ServiceRequest":
        status, referral = _service_request(run, resource)
        return status, f"ServiceRequest/{referral.pk if referral else ''}"
    if kind == "Encounter":
        status, event = _encounter(run, resource)
        return status, f"ServiceEvent/{event.pk}"  # service-use events are not served back as FHIR resources
    raise EntryError("not-supported", f"Peerpath does not accept {kind} resources.", "resourceType")


def _outcome(index: int, error: EntryError) -> dict[str, Any]:
    base = f"Bundle.entry[{index}].resource"
    return operation_outcome([issue(error.code, error.message, expression=[f"{base}.{error.path}" if error.path else base])])


def _run_entry(run: Run, index: int, entry: dict[str, Any]) -> tuple[str, str]:
    resource = entry.get("resource") or {}
    try:
        return _process(run, resource, entry.get("fullUrl", ""))
    except ServiceError as exc:
        raise EntryError("invalid", exc.reason, FIELD_PATHS.get(exc.field or "", "")) from exc
    except PermissionDenied as exc:
        raise EntryError("forbidden", str(exc) or "Not allowed.") from exc


def _finish(record: BundleImport) -> None:
    """The import itself is recorded and audited even when its transaction was rolled back."""
    record.save()
    audit_record(actor=record.submitted_by, action=AuditAction.CREATE, target=record,
                 detail={"fhir": "Bundle", "type": record.bundle_type, "entries": record.entries_total,
                         "written": record.entries_written})


def import_bundle(*, actor: Any, bundle: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    """Returns (HTTP status, response body). Writes through the clients and outcomes services only."""
    if actor.role not in IMPORT_ROLES:
        raise FhirError(403, "forbidden", "Your role may not send data to Peerpath.")
    kind = bundle.get("type")
    if bundle.get("resourceType") != "Bundle" or kind not in {"transaction", "batch"}:
        raise FhirError(400, "invalid", "Send a Bundle of type transaction or batch.", expression=["Bundle.type"])
    team = actor.teams.filter(is_active=True).order_by("pk").first()
    if team is None and actor.role == "leader":  # leaders (and the system account) may place clients on any team
        team = Team.objects.filter(organisation_id=actor.organisation_id, is_active=True).order_by("pk").first()
    if team is None:
        raise FhirError(400, "processing", "You belong to no team, so new clients have nowhere to go.")
    run = Run(actor=actor, team=team)
    entries = list(enumerate(bundle.get("entry") or []))
    entries.sort(key=lambda pair: ORDER.get((pair[1].get("resource") or {}).get("resourceType", ""), 9))
    record = BundleImport(organisation_id=actor.organisation_id, submitted_by=actor, bundle_type=kind,
                          entries_total=len(entries))
    results: dict[int, dict[str, Any]] = {}
    if kind == "transaction":
        try:
            with transaction.atomic():
                for index, entry in entries:
                    status, location = _run_entry(run, index, entry)
                    results[index] = {"response": {"status": status, "location": location}}
        except EntryError as error:
            outcome = _outcome(index, error)
            record.outcomes = [{"entry": index, "outcome": outcome}]
            _finish(record)
            return 400, outcome
        record.entries_written, record.succeeded = len(entries), True
        _finish(record)
        return 200, {"resourceType": "Bundle", "type": "transaction-response",
                     "entry": [results[i] for i in sorted(results)]}
    for index, entry in entries:
        try:
            with transaction.atomic():
                status, location = _run_entry(run, index, entry)
            results[index] = {"response": {"status": status, "location": location}}
            record.entries_written += 1
        except EntryError as error:
            outcome = _outcome(index, error)
            record.outcomes.append({"entry": index, "outcome": outcome})
            results[index] = {"response": {"status": "400 Bad Request", "outcome": outcome}}
    record.succeeded = not record.outcomes
    _finish(record)
    return 200, {"resourceType": "Bundle", "type": "batch-response", "entry": [results[i] for i in sorted(results)]}
