import pytest

from peerpath.outcomes.models import ServiceEvent
from peerpath.outcomes.tests.factories import build_cohorts

pytestmark = pytest.mark.django_db


def test_create_list_withdraw(world, api_client):
    http = api_client(world.a.users["clinician"])
    response = http.post("/api/v1/outcomes/service-events", {"client_id": world.a.client.pk, "kind": "admission",
                         "occurred_on": "2026-01-05", "ended_on": "2026-01-09"}, content_type="application/json")
    assert response.status_code == 201
    body = response.json()
    assert (body["kind"], body["ended_on"], body["source"]) == ("admission", "2026-01-09", "staff")
    listed = http.get(f"/api/v1/outcomes/clients/{world.a.client.pk}/service-events").json()
    assert [e["id"] for e in listed] == [body["id"]]
    withdrawn = http.post(f"/api/v1/outcomes/service-events/{body['id']}/withdraw", {}, content_type="application/json")
    assert withdrawn.status_code == 200 and withdrawn.json()["is_active"] is False


@pytest.mark.parametrize(("payload", "status", "field"), [
    ({"kind": "emergency", "occurred_on": "2026-01-05", "extra": 1}, 422, "extra"),
    ({"kind": "emergency", "occurred_on": "not a date"}, 422, "occurred_on"),
    ({"kind": "flight", "occurred_on": "2026-01-05"}, 422, "kind"),
    ({"kind": "emergency", "occurred_on": "2026-01-05", "ended_on": "2026-01-06"}, 400, "ended_on"),
    ({"kind": "employment", "occurred_on": "2026-01-05"}, 400, "status"),
])
def test_bad_input_is_4xx_and_writes_nothing(world, api_client, payload, status, field):
    response = api_client(world.a.users["peer"]).post(
        "/api/v1/outcomes/service-events", {"client_id": world.a.client.pk, **payload}, content_type="application/json")
    assert response.status_code == status
    assert field in [e["field"] for e in response.json()["errors"]]
    assert ServiceEvent.objects.count() == 0


def test_boolean_client_id_is_rejected(world, api_client):
    response = api_client(world.a.users["peer"]).post(
        "/api/v1/outcomes/service-events", {"client_id": True, "kind": "crisis", "occurred_on": "2026-01-05"},
        content_type="application/json")
    assert response.status_code == 422


def test_other_organisation_client_is_404(world, api_client):
    response = api_client(world.b.users["leader"]).post(
        "/api/v1/outcomes/service-events", {"client_id": world.a.client.pk, "kind": "crisis", "occurred_on": "2026-01-05"},
        content_type="application/json")
    assert response.status_code == 404
    assert ServiceEvent.objects.count() == 0


def test_import_reports_rows(world, api_client):
    world.a.client.record_number = "R-1"
    world.a.client.save()
    csv = "record_number,kind,occurred_on\nR-1,crisis,2026-01-05\nR-2,crisis,2026-01-05\n"
    response = api_client(world.a.users["leader"]).post(
        "/api/v1/outcomes/service-events/import", {"csv": csv, "filename": "x.csv"}, content_type="application/json")
    assert response.status_code == 200
    body = response.json()
    assert (body["rows_total"], body["rows_imported"]) == (2, 1)
    assert body["problems"] == [{"row": 3, "column": "record_number", "reason": "No client of yours has this record number."}]


def test_import_without_header_columns_is_400(world, api_client):
    response = api_client(world.a.users["leader"]).post(
        "/api/v1/outcomes/service-events/import", {"csv": "a,b\n1,2\n"}, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "file"


def test_evaluation_json(world, api_client):
    build_cohorts(world.a, n_peer=12, n_comparison=12, comparison_readmit_days=list(range(10, 130, 10)))
    http = api_client(world.a.users["evaluator"])
    body = http.get("/api/v1/outcomes/evaluation", {"inpatient_day_cost": 900}).json()
    assert body["cohort"]["n"] == {"peer": 13, "comparison": 12}
    assert body["cost"]["parameters"]["inpatient_day_cost"] == 900
    assert body["km"]["groups"]["comparison"]["events"] == 12
    assert http.get("/api/v1/outcomes/evaluation", {"start": "2026-02-01", "end": "2026-01-01"}).status_code == 400
    assert http.get("/api/v1/outcomes/evaluation", {"language": "fr"}).status_code == 422
    assert http.get("/api/v1/outcomes/evaluation", {"team_id": world.b.team.pk}).status_code == 400


def test_leader_registers_a_usual_care_client(world, api_client):
    from peerpath.outcomes.models import ComparisonEnrolment

    http = api_client(world.a.users["leader"])
    response = http.post("/api/v1/outcomes/comparison-enrolments",
                         {"client_id": world.a.unmatched_client.pk, "index_date": "2026-01-05", "note": "Declined peer support"},
                         content_type="application/json")
    assert response.status_code == 200
    assert response.json() == {"client_id": world.a.unmatched_client.pk, "index_date": "2026-01-05", "note": "Declined peer support"}
    matched = http.post("/api/v1/outcomes/comparison-enrolments", {"client_id": world.a.client.pk, "index_date": "2026-01-05"},
                        content_type="application/json")
    assert matched.status_code == 400 and matched.json()["errors"][0]["field"] == "client"
    denied = api_client(world.a.users["evaluator"]).post(
        "/api/v1/outcomes/comparison-enrolments", {"client_id": world.a.unmatched_client.pk, "index_date": "2026-01-06"},
        content_type="application/json")
    assert denied.status_code == 403
    assert ComparisonEnrolment.objects.get().index_date.isoformat() == "2026-01-05"


# ---------------------------------------------------------------- the import: BOM and size like the page

BOM_FILE = "\ufeffrecord_number,kind,occurred_on\r\nR-1,crisis,2026-01-05\r\nR-1,crisis,someday\r\n"


def _upload(content: bytes, name="adt.csv"):
    import io

    upload = io.BytesIO(content)
    upload.name = name
    return upload


def test_a_bom_file_gives_the_same_result_through_the_page_the_json_api_and_the_file_api(world, api_client, login):
    world.a.client.record_number = "R-1"
    world.a.client.save()
    leader = world.a.users["leader"]
    page = login(leader).post("/outcomes/service-use/import/", {"file": _upload(BOM_FILE.encode())})
    assert "1 of 2 rows imported; 1 rows refused." in page.content.decode()
    ServiceEvent.objects.all().delete()
    as_json = api_client(leader).post("/api/v1/outcomes/service-events/import", {"csv": BOM_FILE, "filename": "adt.csv"},
                                      content_type="application/json").json()
    ServiceEvent.objects.all().delete()
    as_file = api_client(leader).post("/api/v1/outcomes/service-events/import/file",
                                      {"file": _upload(BOM_FILE.encode())}).json()
    expected = [{"row": 3, "column": "occurred_on", "reason": "Not a date: write it as YYYY-MM-DD."}]
    for body in (as_json, as_file):
        assert (body["rows_total"], body["rows_imported"], body["problems"]) == (2, 1, expected)


# A BOM, a bare CR inside a row, a CR inside a quoted value, an unclosed quote, one good row and one repeat.
ODD_FILE = ("\ufeffrecord_number,kind,occurred_on,facility\r\n"
            "R-1,emergency,2026-01-05,ED\rR-1,crisis,2026-01-06,\r\n"
            'R-1,crisis,2026-01-07,"Ward\rB"\r\n'
            'R-1,crisis,2026-01-08,"St Mary\'s\r\n'
            "R-1,outpatient,2026-01-09,\r\n"
            "R-1,outpatient,2026-01-09,\r\n")
ODD_PROBLEMS = [
    {"row": 2, "column": "", "reason": "This line contains a carriage return (CR) without a line feed, in column "
     "facility: it may be two rows run together. Save the file as CSV (UTF-8), which ends each row with CR LF."},
    {"row": 3, "column": "", "reason": "The value in column facility contains a carriage return (CR), a line break "
     "inside a value: a value cannot span lines. Remove the line break from the cell."},
    {"row": 4, "column": "", "reason": "The quote opened in column facility is not closed on this line (a value "
     "cannot span lines)."},
    {"row": 6, "column": "", "reason": "Duplicate: this event is already recorded."},
]


def test_bare_cr_quotes_and_a_bom_give_the_same_row_errors_through_the_page_and_both_apis(world, api_client, login):
    import html

    world.a.client.record_number = "R-1"
    world.a.client.save()
    leader = world.a.users["leader"]
    page = login(leader).post("/outcomes/service-use/import/", {"file": _upload(ODD_FILE.encode())})
    assert page.status_code == 200
    shown = html.unescape(page.content.decode())
    assert "1 of 5 rows imported; 4 rows refused." in shown
    for p in ODD_PROBLEMS:
        assert f"<td>{p['row']}</td><td>—</td><td>{p['reason']}</td>" in shown
    assert list(ServiceEvent.objects.values_list("kind", "facility")) == [("outpatient", "")]
    for route, body in (("/api/v1/outcomes/service-events/import", {"csv": ODD_FILE, "filename": "adt.csv"}),
                        ("/api/v1/outcomes/service-events/import/file", {"file": _upload(ODD_FILE.encode())})):
        ServiceEvent.objects.all().delete()
        kwargs = {"content_type": "application/json"} if "csv" in body else {}
        response = api_client(leader).post(route, body, **kwargs)
        assert response.status_code == 200, route
        assert (response.json()["rows_total"], response.json()["rows_imported"]) == (5, 1), route
        assert response.json()["problems"] == ODD_PROBLEMS, route
        assert list(ServiceEvent.objects.values_list("kind", "facility")) == [("outpatient", "")], route


def test_a_file_with_bare_cr_line_endings_is_refused_the_same_through_the_page_and_both_apis(world, api_client, login):
    old_mac = "\ufeffrecord_number,kind,occurred_on\rR-1,crisis,2026-01-05\r"
    leader = world.a.users["leader"]
    reason = ("The header row contains a carriage return (CR) without a line feed: the file's lines probably end with "
              "a bare CR (old Mac format). Save it as CSV (UTF-8), which ends each row with CR LF.")
    page = login(leader).post("/outcomes/service-use/import/", {"file": _upload(old_mac.encode())})
    assert page.status_code == 400
    assert page.context["form"].errors["file"] == [reason]
    for route, body in (("/api/v1/outcomes/service-events/import", {"csv": old_mac}),
                        ("/api/v1/outcomes/service-events/import/file", {"file": _upload(old_mac.encode())})):
        kwargs = {"content_type": "application/json"} if "csv" in body else {}
        response = api_client(leader).post(route, body, **kwargs)
        assert response.status_code == 400, route
        assert (response.json()["detail"], response.json()["errors"][0]["field"]) == (reason, "file"), route
    assert ServiceEvent.objects.count() == 0


def _big_file(size: int) -> bytes:
    head = b"record_number,kind,occurred_on,note\nR-1,crisis,2026-01-05,"
    return head + b"x" * (size - len(head) - 1) + b"\n"  # one row with a long ignored column


def test_the_api_takes_a_file_as_large_as_the_page_does(world, api_client):
    world.a.client.record_number = "R-1"
    world.a.client.save()
    http = api_client(world.a.users["leader"])
    ten_mb = 10 * 1024 * 1024
    response = http.post("/api/v1/outcomes/service-events/import/file", {"file": _upload(_big_file(ten_mb))})
    assert response.status_code == 200, response.content[:300]
    assert response.json()["rows_imported"] == 1
    # As JSON text, 5 MB (the API's own limit is 1 MB; this route takes what the page takes).
    response = http.post("/api/v1/outcomes/service-events/import",
                         {"csv": _big_file(5 * 1024 * 1024).decode().replace("2026-01-05", "2026-01-06")},
                         content_type="application/json")
    assert response.status_code == 200, response.content[:300]
    assert response.json()["rows_imported"] == 1


def test_a_file_over_the_pages_limit_is_refused_through_the_api_too(world, api_client):
    http = api_client(world.a.users["leader"])
    response = http.post("/api/v1/outcomes/service-events/import/file", {"file": _upload(_big_file(10 * 1024 * 1024 + 1))})
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "file"
    assert response.json()["detail"] == "The file is larger than 10 MB; split it into smaller files."
    response = http.post("/api/v1/outcomes/service-events/import/file", {"file": _upload(_big_file(11 * 1024 * 1024))})
    assert response.status_code == 413
    assert ServiceEvent.objects.count() == 0
