import datetime as dt

import pytest
from django.utils import timezone

from peerpath.core.exceptions import NotAllowed, ServiceError
from peerpath.core.models import AuditEvent
from peerpath.outcomes import services
from peerpath.outcomes.models import ImportRun, ServiceEvent

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 3, 1)


def _create(world, role="peer", client=None, **kwargs):
    data = {"kind": "admission", "occurred_on": dt.date(2026, 1, 5), "ended_on": dt.date(2026, 1, 19), "facility": "Ward 4"}
    data.update(kwargs)
    return services.service_event_create(actor=world.a.users[role], client=client or world.a.client, **data)


def test_peer_records_an_admission_with_its_discharge(world):
    event = _create(world)
    assert (event.kind, event.occurred_on, event.ended_on, event.source) == ("admission", dt.date(2026, 1, 5), dt.date(2026, 1, 19), "staff")
    audit = AuditEvent.objects.get(target_type="outcomes.serviceevent", target_id=str(event.pk))
    assert (audit.action, audit.client_id, audit.actor_id) == ("create", world.a.client.pk, world.a.users["peer"].pk)


@pytest.mark.parametrize("role", ["evaluator", "admin"])
def test_roles_without_care_duties_cannot_record(world, role):
    with pytest.raises(NotAllowed):
        _create(world, role=role)
    assert ServiceEvent.objects.count() == 0


def test_peer_cannot_record_for_a_client_not_on_their_caseload_nor_another_organisation(world):
    with pytest.raises(NotAllowed):
        _create(world, client=world.a.unmatched_client)
    with pytest.raises(NotAllowed):
        services.service_event_create(actor=world.b.users["leader"], client=world.a.client, kind="emergency",
                                      occurred_on=dt.date(2026, 1, 5))
    assert ServiceEvent.objects.count() == 0


@pytest.mark.parametrize(("changes", "field", "reason"), [
    ({"kind": "surgery"}, "kind", "Choose one of"),
    ({"occurred_on": None}, "occurred_on", "Enter the date."),
    # "tomorrow" is worked out when the case runs, not when the module is imported: a suite
    # that crosses midnight would otherwise test today's date and expect a refusal.
    ({"occurred_on": "tomorrow", "ended_on": None}, "occurred_on", "cannot be in the future"),
    ({"ended_on": dt.date(2026, 1, 1)}, "ended_on", "Discharge cannot be before admission."),
    ({"kind": "emergency"}, "ended_on", "Only a hospital admission has a discharge date."),
    ({"kind": "employment", "ended_on": None}, "status", "Choose the new status"),
    ({"kind": "emergency", "ended_on": None, "status": "stable"}, "status", "Only employment and housing"),
])
def test_bad_input_names_the_field_and_writes_nothing(world, changes, field, reason):
    if changes.get("occurred_on") == "tomorrow":
        changes = {**changes, "occurred_on": timezone.localdate() + dt.timedelta(days=1)}
    with pytest.raises(ServiceError) as excinfo:
        _create(world, **changes)
    assert excinfo.value.field == field
    assert reason in excinfo.value.reason
    assert ServiceEvent.objects.count() == 0


def test_housing_change_keeps_its_status(world):
    event = _create(world, kind="housing", ended_on=None, status="stable")
    assert event.status == "stable"


def test_withdrawing_deactivates_once(world):
    event = _create(world)
    services.service_event_deactivate(actor=world.a.users["supervisor"], event=event)
    event.refresh_from_db()
    assert event.is_active is False
    assert AuditEvent.objects.filter(action="deactivate", target_id=str(event.pk)).count() == 1
    with pytest.raises(ServiceError):
        services.service_event_deactivate(actor=world.a.users["supervisor"], event=event)


def test_evaluator_cannot_withdraw(world):
    event = _create(world)
    with pytest.raises(NotAllowed):
        services.service_event_deactivate(actor=world.a.users["evaluator"], event=event)
    event.refresh_from_db()
    assert event.is_active is True


CSV = """record_number,kind,occurred_on,ended_on,status,facility,external_id
R-1,admission,2026-01-05,2026-01-19,,Ward 4,ADT-1
R-1,emergency,2026-02-01,,,ED,
R-9,emergency,2026-02-01,,,ED,
R-1,admission,05/01/2026,,,,
R-1,admission,2026-01-10,2026-01-02,,,
R-1,employment,2026-02-03,,employed,,
R-1,crisis,2026-02-04,,,Crisis line,
,emergency,2026-02-01,,,,
R-1,emergency,2026-02-05,,,,,extra
R-OTHER,emergency,2026-02-01,,,,
"""


def test_import_keeps_good_rows_and_reports_each_bad_one(world):
    world.a.client.record_number = "R-1"
    world.a.client.save()
    world.b.client.record_number = "R-OTHER"
    world.b.client.save()
    result = services.import_service_events(actor=world.a.users["clinician"], data=CSV.encode(), filename="adt.csv")
    assert result.imported == 3
    assert [(p.row, p.column) for p in result.problems] == [
        (4, "record_number"), (5, "occurred_on"), (6, "ended_on"), (7, "status"), (9, "record_number"), (10, "external_id"), (11, "record_number"),
    ]
    reasons = {p.row: str(p.reason) for p in result.problems}
    assert reasons[4] == "No client of yours has this record number."
    assert reasons[5] == "Not a date: write it as YYYY-MM-DD."
    assert reasons[6] == "Discharge cannot be before admission."
    assert reasons[10] == ("This row has 8 fields but the header has 7 columns: the value 'extra' after this column "
                           "has no column (a comma inside a value must be quoted).")
    assert reasons[11] == "No client of yours has this record number."  # another organisation's client
    kinds = sorted(ServiceEvent.objects.filter(client=world.a.client).values_list("kind", "source"))
    assert kinds == [("admission", "import"), ("crisis", "import"), ("emergency", "import")]
    run = ImportRun.objects.get()
    assert (run.rows_total, run.rows_imported, len(run.errors)) == (10, 3, 7)
    audit = AuditEvent.objects.get(target_type="outcomes.serviceevent", detail__run=run.pk)  # the batch's one event
    imported = ServiceEvent.objects.filter(client=world.a.client)
    assert sorted(audit.detail["events"]) == sorted([e.pk, e.client_id, e.kind] for e in imported)
    assert list(audit.subjects.values_list("client_id", flat=True)) == [world.a.client.pk]


def test_reimporting_the_same_file_adds_nothing(world):
    world.a.client.record_number = "R-1"
    world.a.client.save()
    services.import_service_events(actor=world.a.users["leader"], data=CSV)
    again = services.import_service_events(actor=world.a.users["leader"], data=CSV)
    assert again.imported == 0
    assert sum("Duplicate" in str(p.reason) for p in again.problems) == 3
    assert ServiceEvent.objects.count() == 3


def test_import_without_required_columns_is_refused(world):
    with pytest.raises(ServiceError) as excinfo:
        services.import_service_events(actor=world.a.users["leader"], data="record_number,date\nR-1,2026-01-01\n")
    assert "kind, occurred_on" in excinfo.value.reason
    assert ServiceEvent.objects.count() == 0 and ImportRun.objects.count() == 0


@pytest.mark.parametrize("role", ["peer", "evaluator"])
def test_import_is_for_record_keepers_only(world, role):
    with pytest.raises(NotAllowed):
        services.import_service_events(actor=world.a.users[role], data=CSV)
    assert ImportRun.objects.count() == 0


def test_comparison_enrolment_only_for_clients_without_peer_support(world):
    enrolment = services.comparison_enrol(actor=world.a.users["leader"], client=world.a.unmatched_client, index_date=dt.date(2026, 1, 1))
    assert enrolment.index_date == dt.date(2026, 1, 1)
    with pytest.raises(ServiceError):
        services.comparison_enrol(actor=world.a.users["leader"], client=world.a.client, index_date=dt.date(2026, 1, 1))
    with pytest.raises(NotAllowed):
        services.comparison_enrol(actor=world.a.users["evaluator"], client=world.a.unmatched_client, index_date=dt.date(2026, 1, 1))
