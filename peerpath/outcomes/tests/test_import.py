"""The service-event import read as a stream (issue 10 point 14, issue 11 point 5): real line numbers,
any line ending, BOM, quotes and delimiters; only the file's keys looked up; no row cap; progress
visible from outside the import's transaction; nothing half-written."""

import io
from datetime import date

import pytest
from django.core.management import call_command
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext

from peerpath.clients.tests.factories import ClientFactory
from peerpath.core.exceptions import ServiceError
from peerpath.core.models import AuditEvent, AuditEventSubject
from peerpath.core.selectors import audit_events_search
from peerpath.outcomes import services
from peerpath.outcomes.models import ImportRun, ServiceEvent

pytestmark = pytest.mark.django_db
HEADER = "record_number,kind,occurred_on,facility,external_id"


@pytest.fixture
def leader(world):
    world.a.client.record_number = "R-1"
    world.a.client.save()
    return world.a.users["leader"]


def _import(actor, data, **kwargs):
    return services.import_service_events(actor=actor, data=data, filename="adt.csv", **kwargs)


def _traces(events):
    """For each service event id: the audit events that name it (by id, client and kind) and have its
    client as a searchable subject."""
    traces: dict[int, list[int]] = {}
    for audit in events:
        subjects = set(AuditEventSubject.objects.filter(event=audit).values_list("client_id", flat=True))
        for event_id, client_id, kind in audit.detail.get("events", []):
            row = ServiceEvent.objects.filter(pk=event_id, client_id=client_id, kind=kind).exists()
            if row and client_id in subjects:
                traces.setdefault(event_id, []).append(audit.pk)
    return traces


def _import_audits(run):
    return AuditEvent.objects.filter(target_type="outcomes.serviceevent", action="create", detail__run=run.pk)


@pytest.mark.parametrize("eol", ["\n", "\r\n"])
def test_every_line_ending_imports_every_row_and_names_the_files_line(leader, eol):
    text = eol.join([HEADER, "R-1,emergency,2026-01-05,ED,", "", "R-1,crisis,2026-01-06,,", "R-1,crisis,someday,,", ""])
    result = _import(leader, text.encode())
    assert result.imported == 2
    assert [(p.row, p.column) for p in result.problems] == [(5, "occurred_on")]
    assert sorted(ServiceEvent.objects.values_list("kind", flat=True)) == ["crisis", "emergency"]


def test_a_bare_cr_is_refused_on_its_line_and_the_other_rows_are_imported_unmerged(leader):
    text = f"{HEADER}\r\nR-1,emergency,2026-01-05,ED\rR-1,crisis,2026-01-06,,\r\nR-1,crisis,2026-01-07,,\r\n"
    result = _import(leader, text.encode())
    assert (result.run.rows_total, result.imported) == (2, 1)
    assert [(p.row, p.column, p.reason) for p in result.problems] == [(2, "", (
        "This line contains a carriage return (CR) without a line feed, in column facility: it may be two rows "
        "run together. Save the file as CSV (UTF-8), which ends each row with CR LF."))]
    assert list(ServiceEvent.objects.values_list("kind", "occurred_on", "facility")) == [
        ("crisis", date(2026, 1, 7), "")]


def test_a_file_with_bare_cr_line_endings_is_refused_whole_and_nothing_is_recorded(leader):
    with pytest.raises(ServiceError) as excinfo:
        _import(leader, f"{HEADER}\rR-1,emergency,2026-01-05,,\r".encode())
    assert excinfo.value.field == "file"
    assert excinfo.value.reason.startswith("The header row contains a carriage return (CR) without a line feed")
    assert ImportRun.objects.count() == 0 and ServiceEvent.objects.count() == 0


def test_an_unclosed_quote_is_refused_on_its_line_and_the_rest_is_imported(leader):
    text = f'{HEADER}\nR-1,emergency,2026-01-05,"St Mary\'s,\nR-1,crisis,2026-01-06,"Ward ""B""",\n'
    result = _import(leader, text)
    assert result.imported == 1
    (problem,) = result.problems
    assert problem.row == 2
    assert problem.reason == "The quote opened in column facility is not closed on this line (a value cannot span lines)."
    assert ServiceEvent.objects.get().facility == 'Ward "B"'


def test_a_semicolon_file_is_refused_naming_the_delimiter_and_nothing_is_recorded(leader):
    with pytest.raises(ServiceError) as excinfo:
        _import(leader, "record_number;kind;occurred_on\nR-1;crisis;2026-01-05\n")
    assert excinfo.value.reason == "The delimiter looks like ';' (semicolon), not a comma: save the file as CSV (comma delimited)."
    assert excinfo.value.field == "file"
    assert ImportRun.objects.count() == 0 and ServiceEvent.objects.count() == 0


def test_a_bom_is_the_same_in_text_bytes_and_an_uploaded_stream(leader):
    text = "\ufeffrecord_number,kind,occurred_on\nR-1,crisis,2026-01-05\n"
    results = [_import(leader, data) for data in (text, text.encode(), io.BytesIO(text.encode()))]
    assert [(r.run.rows_total, r.imported) for r in results] == [(1, 1), (1, 0), (1, 0)]
    assert [[(p.row, p.reason) for p in r.problems] for r in results[1:]] == [
        [(2, "Duplicate: this event is already recorded.")]] * 2  # the same row each time, not a header problem
    assert ServiceEvent.objects.count() == 1


def test_rows_across_batches_are_all_kept_and_a_repeat_in_a_later_batch_is_a_duplicate(leader, monkeypatch):
    monkeypatch.setattr(services, "IMPORT_BATCH", 100)
    lines = [HEADER] + [f"R-1,emergency,2026-01-{1 + i % 28:02d},,ext-{i}" for i in range(450)]
    lines.append("R-1,emergency,2026-01-01,,ext-0")  # line 452 repeats line 2, four batches later
    seen = []
    result = _import(leader, "\n".join(lines), on_batch=lambda run, done: seen.append(done))
    assert result.imported == 450
    assert [(p.row, p.reason) for p in result.problems] == [(452, "Duplicate: this event is already recorded.")]
    assert seen == [100, 200, 300, 400, 451]
    run = ImportRun.objects.get()
    assert (run.status, run.rows_total, run.rows_done, run.rows_imported) == ("done", 451, 451, 450)
    assert ServiceEvent.objects.count() == 450
    traces = _traces(_import_audits(run))  # one audit event per batch, naming each of its rows once
    assert sorted(traces) == sorted(ServiceEvent.objects.values_list("pk", flat=True))
    assert all(len(t) == 1 for t in traces.values())
    assert _import_audits(run).count() == 5


def test_only_the_files_record_numbers_and_dates_are_looked_up(leader, world):
    for i in range(30):  # other clients of the organisation, with history the import must not read
        ClientFactory(team=world.a.team, record_number=f"OTHER-{i}")
    with CaptureQueriesContext(connection) as queries:
        _import(leader, "record_number,kind,occurred_on\nR-1,crisis,2026-01-05\n")
    client_lookup = [q["sql"] for q in queries if 'FROM "clients_client"' in q["sql"] and "record_number" in q["sql"]]
    event_lookup = [q["sql"] for q in queries if q["sql"].lstrip().startswith('SELECT') and '"outcomes_serviceevent"' in q["sql"]]
    assert client_lookup and all("'R-1'" in sql or "%s" in sql or "IN (" in sql for sql in client_lookup)
    assert all('"record_number" IN' in sql for sql in client_lookup)
    assert event_lookup
    if connection.vendor == "postgresql":  # the file's one key, joined on the whole key
        assert all("jsonb_to_recordset" in sql and sql.count('"k":') == 1 and '"d": "2026-01-05"' in sql
                   and "e.client_id = t.c AND e.occurred_on = t.d" in sql for sql in event_lookup)
    else:
        assert all('"occurred_on" IN' in sql and '"client_id" IN' in sql for sql in event_lookup)


def test_an_import_that_fails_midway_writes_nothing_and_says_it_failed(leader, monkeypatch):
    monkeypatch.setattr(services, "IMPORT_BATCH", 10)

    def fail_on_second(run, done):
        if done >= 20:
            raise RuntimeError("disk full")

    lines = [HEADER] + [f"R-1,emergency,2026-01-{1 + i % 28:02d},,ext-{i}" for i in range(50)]
    with pytest.raises(RuntimeError):
        _import(leader, "\n".join(lines), on_batch=fail_on_second)
    run = ImportRun.objects.get()
    assert (run.status, run.rows_imported, run.rows_done) == ("failed", 0, 20)
    assert ServiceEvent.objects.count() == 0
    assert AuditEvent.objects.filter(target_type="outcomes.serviceevent").count() == 0


def test_every_refused_row_is_reported_and_kept_on_the_run(leader):
    lines = [HEADER] + [f"R-1,emergency,2026-01-{1 + i % 28:02d},,ext-{i}" if i % 3 else f"R-9,emergency,2026-01-01,,x{i}"
                        for i in range(3000)]
    result = _import(leader, "\n".join(lines))
    bad = [i + 2 for i in range(3000) if i % 3 == 0]
    assert [p.row for p in result.problems] == bad
    assert [e["row"] for e in ImportRun.objects.get().errors] == bad
    assert result.imported == 2000 == ServiceEvent.objects.count()


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite has one writer: progress is written with the result")
def test_progress_is_visible_outside_the_import_while_it_runs(world):
    world.a.client.record_number = "R-1"
    world.a.client.save()
    wrapper = connections["default"]
    outside = type(wrapper)(dict(wrapper.settings_dict), alias="default")  # another session
    looked = []

    def look(run, done):
        with outside.cursor() as cursor:
            cursor.execute("SELECT status, rows_done FROM outcomes_importrun WHERE id = %s", [run.pk])
            status, rows_done = cursor.fetchone()
            cursor.execute("SELECT count(*) FROM outcomes_serviceevent")
            looked.append((status, rows_done, cursor.fetchone()[0]))

    lines = [HEADER] + [f"R-1,emergency,2026-01-{1 + i % 28:02d},,ext-{i}" for i in range(2500)]
    try:
        _import(world.a.users["leader"], "\n".join(lines), on_batch=look)
    finally:
        outside.close()
    # The count moves while it runs; the rows appear only with the whole file.
    assert looked == [("running", 1000, 0), ("running", 2000, 0), ("running", 2500, 0)]
    assert ServiceEvent.objects.count() == 2500


def test_every_imported_row_has_one_audit_trace_the_admins_search_by_client_finds_and_the_chain_verifies(world, monkeypatch, capsys):
    """The bulk audit path (one event per batch, a subject per client): 1,200 rows of 300 clients in three
    batches; each row is named by exactly one audit event, which the admin finds by searching for its
    client (and only for its client), and ``peerpath audit verify`` passes afterwards."""
    monkeypatch.setattr(services, "IMPORT_BATCH", 500)
    clients = [ClientFactory(team=world.a.team, record_number=f"BIG-{i}") for i in range(300)]
    lines = [HEADER] + [f"BIG-{i % 300},emergency,2026-01-{1 + i // 300:02d},,big-{i}" for i in range(1200)]
    result = _import(world.a.users["leader"], "\n".join(lines))
    assert (result.imported, result.problems) == (1200, [])
    audits = list(_import_audits(result.run))
    assert len(audits) == 3
    assert sorted(len(a.detail["events"]) for a in audits) == [200, 500, 500]
    traces = _traces(audits)
    imported = sorted(ServiceEvent.objects.filter(client__in=clients).values_list("pk", flat=True))
    assert sorted(traces) == imported and all(len(t) == 1 for t in traces.values())
    admin = world.a.users["admin"]
    for client in (clients[0], clients[149], clients[299]):
        found = audit_events_search(user=admin, client_id=client.pk).filter(pk__in=[a.pk for a in audits])
        named = sorted(event_id for a in found for event_id, client_id, _kind in a.detail["events"] if client_id == client.pk)
        assert named == sorted(ServiceEvent.objects.filter(client=client).values_list("pk", flat=True))
        assert len(named) == 4
    call_command("audit", "verify")
    assert "Audit trail intact" in capsys.readouterr().out
