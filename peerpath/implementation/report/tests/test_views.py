"""The implementation report: page and PDF with every section, small readiness groups never shown,
the procurement checklist (status from the latest CFIR rating, source citations), CSV escaping, exports
audited, and who may read it."""

from __future__ import annotations

import csv
import io
import re
import zlib
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from peerpath.accounts.tests.factories import StaffFactory
from peerpath.core.models import AuditEvent
from peerpath.implementation.models import ProcurementRequirement, ReadinessRound, RoundStatus
from peerpath.implementation.planning.tests.factories import BarrierFactory, PlanFactory, overdue_item
from peerpath.implementation.ratings.tests.factories import RatingRoundFactory, construct, rate
from peerpath.implementation.readiness import services as readiness
from peerpath.implementation.reference.selectors import current_dataset
from peerpath.implementation.report.views import safe_cell

pytestmark = pytest.mark.django_db


def _answered_round(world, title, days_ago, groups):
    """An organisation-wide round answered by new staff: ``groups`` maps role → (people, value each gives)."""
    leader = world.a.users["leader"]
    people = {role: [StaffFactory(organisation=world.a.organisation, role=role) for _ in range(n)]
              for role, (n, _value) in groups.items()}
    opened = timezone.localdate() - timedelta(days=days_ago)
    found = readiness.readiness_round_open(actor=leader, title=title, opens_on=opened, closes_on=timezone.localdate(),
                                           instrument_codes=["oric", "aim"], invited_roles=sorted(groups))
    items = [i for inst in found.instruments.order_by("order") for i in inst.items.order_by("number")]
    for role, (_n, value) in groups.items():
        for person in people[role]:
            readiness.readiness_response_submit(actor=person, readiness_round=found,
                                                answers={i.pk: value for i in items})
    ReadinessRound.objects.filter(pk=found.pk).update(status=RoundStatus.CLOSED)
    return found


def _section(page, heading):
    start = page.index(heading)
    end = page.find('<section', start)
    return page[start:end if end > 0 else None]


def test_report_page_has_every_section_and_the_readiness_change(world, login):
    _answered_round(world, "Spring readiness", 180, {"peer": (5, 3), "clinician": (5, 3)})
    _answered_round(world, "Autumn readiness", 10, {"peer": (6, 4), "clinician": (5, 4), "supervisor": (2, 5)})
    page = login(world.a.users["evaluator"]).get(reverse("implementation:report_page")).content.decode()
    for heading in ("1. Readiness", "2. CFIR 2.0 heat-map", "3. Barriers and facilitators", "4. Implementation plan",
                    "5. Integration trends", "6. Procurement and contract checklist"):
        assert f">{heading}</h2>" in page
    section = _section(page, "1. Readiness")
    assert "Latest organisation-wide round: Autumn readiness" in section
    assert "13 of 26 invited staff answered." in section  # new staff + spring's + world's peer, clinician, supervisor
    # Everyone: commitment mean (6×4 + 5×4 + 2×5)/13 = 4.15; change from 3.00
    commitment = section[section.index("ORIC: Change commitment</th>"):]
    commitment = commitment[:commitment.index("</tr>")]
    assert re.findall(r"<td>([^<]*)</td>", commitment) == ["13", "4.15", "0.36", "4.0–5.0", "3.00", "+1.15"]
    assert '<svg class="chart"' in section and "Readiness: mean scores (1–5)" in section


def test_report_never_shows_a_small_role_group(world, login):
    _answered_round(world, "Autumn readiness", 10, {"peer": (6, 4), "clinician": (5, 4), "supervisor": (2, 5)})
    page = login(world.a.users["leader"]).get(reverse("implementation:report_page")).content.decode()
    groups = _section(page, "By role group")
    # invited: the new staff plus the world's peer, clinician and supervisor
    assert ">Peer support worker</th><td>6 / 7</td>" in groups
    assert ">Other roles (pooled)</th><td>7 / 9</td>" in groups  # clinicians pooled with the two supervisors
    assert ">Supervisor</th>" not in groups and ">Clinician</th>" not in groups


def test_report_shows_no_figures_when_fewer_than_five_answered(world, login):
    _answered_round(world, "Tiny round", 10, {"peer": (3, 4), "clinician": (1, 2)})
    page = login(world.a.users["leader"]).get(reverse("implementation:report_page")).content.decode()
    section = _section(page, "1. Readiness")
    assert "Fewer than five people answered: no figures are shown." in section
    assert "<table" not in section


def test_report_heat_map_barriers_and_plan(world, login):
    leader = world.a.users["leader"]
    spring = RatingRoundFactory(created_by=leader, title="CFIR spring", rated_on=timezone.localdate() - timedelta(180))
    autumn = RatingRoundFactory(created_by=leader, title="CFIR autumn")
    rate(spring, "III.F", -2)
    rate(autumn, "III.F", 1)
    BarrierFactory(recorded_by=leader, construct=construct("III.F"), title="Role unclear")
    BarrierFactory(recorded_by=leader, construct=construct("III.D"), title="Old barrier",
                   resolved_on=timezone.localdate())
    BarrierFactory(recorded_by=leader, construct=construct("V.A"), kind="facilitator", title="Peer network")
    plan = PlanFactory(created_by=leader, title="Plan 2026")
    overdue_item(plan, leader, title="Agree record access")
    page = login(leader).get(reverse("implementation:report_page")).content.decode()
    heat = _section(page, "2. CFIR 2.0 heat-map")
    assert "CFIR spring" in heat and "CFIR autumn" in heat and "improved (+3)" in heat
    barriers = _section(page, "3. Barriers and facilitators")
    assert "1 open barriers, 1 addressed, 1 facilitators." in barriers
    assert ">Role unclear</th>" in barriers and "Old barrier" not in barriers
    plan_section = _section(page, "4. Implementation plan")
    assert "Plan 2026: 0 of 1 actions done (0%)." in plan_section
    assert ">Agree record access</th>" in plan_section
    assert re.search(r">Overdue</th><td>1</td>", plan_section)


def _pdf_outline(content: bytes) -> list[str]:
    blob = b""
    for match in re.finditer(rb"stream\r?\n", content):
        start = match.end()
        try:
            blob += zlib.decompress(content[start:content.find(b"endstream", start)])
        except zlib.error:
            continue
    return [t.decode() for t in re.findall(rb"/Title \(([^)]*)\)", blob + content)]


def test_report_pdf_has_the_sections_and_is_audited(world, login):
    _answered_round(world, "Autumn readiness", 10, {"peer": (5, 4)})
    response = login(world.a.users["admin"]).get(reverse("implementation:report_pdf"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    outline = _pdf_outline(response.content)
    for heading in ("Implementation report", "1. Readiness", "2. CFIR 2.0 heat-map", "3. Barriers and facilitators",
                    "4. Implementation plan", "5. Integration trends", "6. Procurement and contract checklist"):
        assert heading in outline
    event = AuditEvent.objects.get(action="export", target_type="implementation.report")
    assert event.actor_id == world.a.users["admin"].pk and event.detail == {"format": "pdf"}


def test_procurement_checklist_status_comes_from_the_latest_rating(world, login):
    leader = world.a.users["leader"]
    old = RatingRoundFactory(created_by=leader, title="Old", rated_on=timezone.localdate() - timedelta(200))
    rate(old, "III.H", 2)
    latest = RatingRoundFactory(created_by=leader, title="Latest")
    rate(latest, "III.H", -1, evidence="Peers paid one band lower.")
    rate(latest, "III.A.3", 2, evidence="Role description co-written.")
    rate(latest, "II.F", "missing")
    BarrierFactory(recorded_by=leader, construct=construct("III.A.3"), title="Inpatient duties unclear")
    page = login(leader).get(reverse("implementation:report_procurement")).content.decode()

    def row(key):
        start = page.index(f'id="req-{key}"')
        return page[start:page.index("</tr>", start)]

    assert "Not in place" in row("pay_parity") and "CFIR III.H rated −1" in row("pay_parity")
    assert "Peers paid one band lower." in row("pay_parity")
    assert "Partly in place" in row("defined_role") and "1 open barrier on this construct" in row("defined_role")
    assert "Not known yet" in row("billing_route") and "missing (not enough data)" in row("billing_route")
    assert "Not known yet" in row("monitoring") and "not rated in Latest" in row("monitoring")
    dataset = current_dataset("procurement_checklist")
    assert dataset.citation("gates2007") in row("pay_parity")
    assert ProcurementRequirement.objects.filter(dataset=dataset).count() == page.count('id="req-')


def test_procurement_csv_is_escaped_and_audited(world, login):
    leader = world.a.users["leader"]
    latest = RatingRoundFactory(created_by=leader, title="Latest")
    rate(latest, "III.H", -2, evidence="=HYPERLINK(\"http://evil\")")
    requirement = ProcurementRequirement.objects.get(dataset=current_dataset("procurement_checklist"), key="pay_parity")
    requirement.title = "@SUM(A1)"
    requirement.save()
    response = login(world.a.users["evaluator"]).get(reverse("implementation:report_procurement_csv"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="peerpath-procurement-checklist.csv"' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["Requirement", "What the contract should say", "CFIR 2.0 construct", "Source", "Status here",
                       "Why"]
    pay = next(r for r in rows if r[0] == "'@SUM(A1)")
    assert pay[4] == "Not in place"
    assert pay[5].startswith("CFIR III.H rated −2")  # not a formula: starts with text
    assert all(cell[:1] not in "=+-@" for r in rows for cell in r if cell)
    assert AuditEvent.objects.filter(action="export", target_type="implementation.procurement_checklist",
                                     actor=world.a.users["evaluator"]).count() == 1


@pytest.mark.parametrize(("value", "escaped"), [("=1+1", "'=1+1"), ("+1", "'+1"), ("-1", "'-1"), ("@A1", "'@A1"),
                                                ("\tx", "'\tx"), ("fine", "fine"), ("", ""), (3, 3)])
def test_safe_cell(value, escaped):
    assert safe_cell(value) == escaped


def test_evidence_starting_with_a_formula_sign_is_escaped(world, login):
    leader = world.a.users["leader"]
    requirement = ProcurementRequirement.objects.get(dataset=current_dataset("procurement_checklist"), key="pay_parity")
    requirement.requirement = "-2 bands is not acceptable"
    requirement.save()
    response = login(leader).get(reverse("implementation:report_procurement_csv"))
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert ["'-2 bands is not acceptable"] == [r[1] for r in rows if r[1].endswith("not acceptable")]


@pytest.mark.parametrize("role", ["peer", "clinician", "supervisor"])
def test_others_may_not_read_or_export(world, login, role):
    http = login(world.a.users[role])
    for name in ("report_page", "report_pdf", "report_procurement", "report_procurement_csv"):
        assert http.get(reverse(f"implementation:{name}")).status_code == 403
    assert not AuditEvent.objects.filter(action="export").exists()


def test_the_report_shows_only_the_readers_organisation(world, login):
    _answered_round(world, "Org A readiness", 10, {"peer": (5, 4)})
    leader_a = world.a.users["leader"]
    BarrierFactory(recorded_by=leader_a, construct=construct("III.F"), title="Org A barrier")
    rate(RatingRoundFactory(created_by=leader_a, title="Org A CFIR"), "III.F", 1)
    page = login(world.b.users["leader"]).get(reverse("implementation:report_page")).content.decode()
    assert "Org A readiness" not in page and "Org A barrier" not in page and "Org A CFIR" not in page
    assert "No readiness round yet." in page


def test_report_query_count(world, login, django_assert_max_num_queries):
    _answered_round(world, "Autumn readiness", 10, {"peer": (5, 4)})
    leader = world.a.users["leader"]
    rate(RatingRoundFactory(created_by=leader), "III.F", 1)
    http = login(leader)
    http.get(reverse("implementation:report_page"))
    with django_assert_max_num_queries(40):
        assert http.get(reverse("implementation:report_page")).status_code == 200
