import io
import json

import pytest
from django.core.management import call_command

from peerpath.core.models import AuditEvent
from peerpath.outcomes.models import ImportRun, ServiceEvent
from peerpath.outcomes.tests.factories import build_cohorts

pytestmark = pytest.mark.django_db
URL = "/outcomes/evaluation/"


def test_evaluation_page_shows_aggregates_without_names(world, login, cohorts):
    response = login(world.a.users["evaluator"]).get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Peer support: <strong>15</strong> people. Comparison (usual care): <strong>14</strong> people." in html
    assert "Log-rank test, peer support vs comparison" in html
    assert '<svg class="chart"' in html and "<caption>" in html
    assert "Peerclient" not in html and "Usualcare" not in html and world.a.client.last_name not in html
    assert "illustrative placeholders" in html and "$5,494" in html
    assert "/outcomes/evaluation/dataset/km.csv" in html


def test_evaluation_form_errors_are_shown(world, login):
    response = login(world.a.users["leader"]).get(URL, {"start": "2026-02-01", "end": "2026-01-01"})
    assert response.status_code == 400
    assert "The end date is before the start date." in response.content.decode()
    assert not AuditEvent.objects.filter(target_type="outcomes.evaluation").exists()


def test_pdf_report(world, login, cohorts):
    response = login(world.a.users["leader"]).get("/outcomes/evaluation/report.pdf", {"program": "act"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert AuditEvent.objects.filter(target_type="outcomes.evaluation", action="export").count() == 1


def test_dataset_download_and_analyze_reproduce_the_page_numbers(world, login, api_client, tmp_path):
    # Large, even groups: no count on the page is hidden, so every file may be downloaded.
    build_cohorts(world.a, n_peer=30, n_comparison=30, peer_readmit_days=[5] * 12, comparison_readmit_days=[40] * 12)
    http = login(world.a.users["evaluator"])
    api = api_client(world.a.users["evaluator"]).get("/api/v1/outcomes/evaluation").json()
    for kind in ("km", "did", "cost"):
        response = http.get(f"/outcomes/evaluation/dataset/{kind}.csv")
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/csv")
        path = tmp_path / f"{kind}.csv"
        path.write_bytes(response.content)
        out = io.StringIO()
        call_command("analyze", kind, str(path), stdout=out)
        printed = json.loads(out.getvalue())["result"]
        assert json.loads(json.dumps(printed)) == json.loads(json.dumps(api[kind])), kind
    header = (tmp_path / "km.csv").read_text().splitlines()[0]
    assert header == ("client_id,group,time_days,event,followed_days,age,prior_admissions,prior_inpatient_days,prior_ed_visits,"
                      "sex,diagnosis_group")
    # Each file has its own pseudonyms: rows of two files cannot be joined.
    codes = {kind: {line.split(",")[0] for line in (tmp_path / f"{kind}.csv").read_text().splitlines()[1:]}
             for kind in ("km", "did", "cost")}
    assert not codes["km"] & codes["did"] and not codes["km"] & codes["cost"] and not codes["did"] & codes["cost"]
    assert (tmp_path / "did.csv").read_text().splitlines()[0] == "client_id,group,period,outcome"
    assert AuditEvent.objects.filter(target_type="outcomes.dataset", action="export").count() == 3


def test_dataset_refused_for_small_groups(world, login):
    response = login(world.a.users["leader"]).get("/outcomes/evaluation/dataset/km.csv")
    assert response.status_code == 409
    assert "at least 11 people" in response.content.decode()


def test_unknown_dataset_is_404(world, login):
    assert login(world.a.users["leader"]).get("/outcomes/evaluation/dataset/names.csv").status_code == 404


def test_service_use_page_records_and_lists(world, login):
    http = login(world.a.users["peer"])
    url = f"/outcomes/clients/{world.a.client.pk}/service-use/"
    response = http.post(url, {"kind": "admission", "occurred_on": "2026-01-05", "ended_on": "2026-01-12", "facility": "Ward 4"})
    assert response.status_code == 302
    page = http.get(url).content.decode()
    assert "Hospital admission (inpatient stay)" in page and "discharged 2026-01-12" in page and "Ward 4" in page


def test_service_use_bad_input_shows_reason_and_saves_nothing(world, login):
    response = login(world.a.users["peer"]).post(
        f"/outcomes/clients/{world.a.client.pk}/service-use/",
        {"kind": "emergency", "occurred_on": "2026-01-05", "ended_on": "2026-01-06"})
    assert response.status_code == 400
    assert "Only a hospital admission has a discharge date." in response.content.decode()
    assert ServiceEvent.objects.count() == 0


def test_admin_sees_but_cannot_record_service_use(world, login):
    http = login(world.a.users["admin"])
    url = f"/outcomes/clients/{world.a.client.pk}/service-use/"
    assert http.get(url).status_code == 200
    assert http.post(url, {"kind": "emergency", "occurred_on": "2026-01-05"}).status_code == 403
    assert ServiceEvent.objects.count() == 0


def test_withdraw_from_page(world, login):
    event = ServiceEvent.objects.create(organisation=world.a.organisation, client=world.a.client, kind="crisis",
                                        occurred_on="2026-01-05", recorded_by=world.a.users["peer"])
    response = login(world.a.users["peer"]).post(f"/outcomes/service-use/{event.pk}/withdraw/")
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.is_active is False


def test_import_page_reports_bad_rows(world, login):
    world.a.client.record_number = "R-1"
    world.a.client.save()
    upload = io.BytesIO(b"record_number,kind,occurred_on\nR-1,emergency,2026-01-05\nR-1,emergency,tomorrow\n")
    upload.name = "adt.csv"
    response = login(world.a.users["clinician"]).post("/outcomes/service-use/import/", {"file": upload})
    html = response.content.decode()
    assert response.status_code == 200
    assert "1 of 2 rows imported; 1 rows refused." in html
    assert "<td>3</td><td>occurred_on</td><td>Not a date: write it as YYYY-MM-DD.</td>" in html
    assert ServiceEvent.objects.count() == 1


def test_spanish_page(world, login, cohorts):
    leader = world.a.users["leader"]
    leader.language = "es"
    leader.save()
    html = login(leader).get(URL).content.decode()
    assert "Evaluación del apoyo entre pares" in html
    assert "Reingreso hospitalario a los 30, 90 y 365 días" in html
    assert "Modelo de costes: ahorro neto por persona y año" in html


def test_pdf_report_wording_fits_paper_with_the_organisations_currency_and_measure_names(world, rf):
    """Issue 12 point 11: the HTML the PDF is rendered from has no 'form above', amounts in the organisation's
    currency (no assumed $), instruments by name (PHQ-9, not phq9) and the cohort filters in words."""
    import datetime as dt
    import re

    from django.utils import timezone

    from peerpath.measures.tests.factories import administration
    from peerpath.outcomes import selectors, views

    org = world.a
    org.organisation.currency = "EUR"
    org.organisation.save(update_fields=["currency"])
    cohorts = build_cohorts(org, n_peer=30, n_comparison=30, index_days_ago=400, peer_readmit_days=[5] * 12,
                            comparison_readmit_days=[40] * 12)
    for i, client in enumerate(cohorts["peer"][:12] + cohorts["comparison"][:12]):
        administration(org, client=client, code="phq9", timepoint="intake", status="completed",
                       completed_at="2025-06-01T10:00Z", total_score=15 + i % 5)
        administration(org, client=client, code="phq9", timepoint="followup", status="completed",
                       completed_at="2025-09-01T10:00Z", total_score=9 + i % 4)
    leader = org.users["leader"]
    start = timezone.localdate() - dt.timedelta(days=500)
    cohort = selectors.Cohort(start=start)
    results, _datasets = selectors.evaluation_for(leader, cohort=cohort)
    request = rf.get("/outcomes/evaluation/report.pdf", {"start": start.isoformat()})
    request.user = leader
    html = views.report_html(request, results)
    assert "form above" not in html and "edit them" not in html.lower()
    assert "Cost of one inpatient day</th><td>1,200 EUR</td>" in html
    assert [m.start() for m in re.finditer(r"\$", html)] == [html.index("US$5,494") + 2]
    assert "Peerpath's illustrative defaults" in html
    assert '<th scope="row">PHQ-9 (Patient Health Questionnaire)</th>' in html and "phq9" not in html
    assert f"Index date from: {start.replace(day=1).isoformat()}" in html and "start =" not in html  # snapped to the month
    # The page keeps its own wording (there is a form on the page).
    page = views._presentation(results, org.organisation)
    assert page["currency"] == "EUR"


def test_the_import_page_polls_progress_and_shows_a_running_imports_rows(world, login):
    import datetime as dt

    from django.utils import timezone

    from peerpath.outcomes.models import ImportRun

    leader = world.a.users["leader"]
    http = login(leader)
    page = http.get("/outcomes/service-use/import/").content.decode()
    assert 'hx-get="/outcomes/service-use/import/progress/"' in page
    # Polling starts when the form is sent; the form itself submits natively (an htmx "submit" trigger cancelled
    # the submission: the browser test of the import found it).
    assert 'hx-trigger="peerpath:submitted delay:500ms"' in page and 'data-progress="#import-progress"' in page
    assert "Uploading the file…" in http.get("/outcomes/service-use/import/progress/").content.decode()
    run = ImportRun.objects.create(organisation=world.a.organisation, uploaded_by=leader, filename="adt.csv",
                                   status="running", rows_done=40000)
    fragment = http.get("/outcomes/service-use/import/progress/").content.decode()
    assert "Importing adt.csv: 40,000 rows read so far." in fragment
    assert 'hx-trigger="load delay:1s"' in fragment
    ImportRun.objects.filter(pk=run.pk).update(updated_at=timezone.now() - dt.timedelta(minutes=5))
    fragment = http.get("/outcomes/service-use/import/progress/").content.decode()
    assert "adt.csv: stopped before it finished; no rows were written." in fragment
    other = login(world.a.users["clinician"]).get("/outcomes/service-use/import/progress/").content.decode()
    assert "adt.csv" not in other  # only one's own imports


def test_the_import_page_shows_the_first_thousand_refused_rows_and_counts_the_rest(world, login):
    lines = ["record_number,kind,occurred_on"] + [f"NOPE-{i},crisis,2026-01-05" for i in range(1200)]
    upload = io.BytesIO("\n".join(lines).encode())
    upload.name = "adt.csv"
    html = login(world.a.users["leader"]).post("/outcomes/service-use/import/", {"file": upload}).content.decode()
    assert "0 of 1200 rows imported; 1200 rows refused." in html
    assert "<td>1001</td>" in html and "<td>1002</td>" not in html
    assert "… and 200 more refused rows" in html


def test_a_double_clicked_import_imports_the_file_once_and_shows_the_first_result_again(world, login):
    import re

    world.a.client.record_number = "R-1"
    world.a.client.save()
    page = login(world.a.users["leader"])
    key = re.search(r'name="idempotency_key" value="([^"]+)"', page.get("/outcomes/service-use/import/").content.decode())
    assert key, "the import form carries no idempotency key"

    def submit():
        upload = io.BytesIO(b"record_number,kind,occurred_on\nR-1,emergency,2026-01-05\nR-1,crisis,2026-01-06\n")
        upload.name = "adt.csv"
        return page.post("/outcomes/service-use/import/", {"file": upload, "idempotency_key": key.group(1)})

    first, second = submit(), submit()
    assert first.status_code == second.status_code == 200
    assert "2 of 2 rows imported; 0 rows refused." in second.content.decode()  # the first answer, not "duplicate"
    assert second["Idempotent-Replayed"] == "true"
    assert ServiceEvent.objects.count() == 2
    assert ImportRun.objects.count() == 1
