from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from peerpath.accounts.models import StaffMember
from peerpath.core.models import Organisation
from peerpath.workforce import tasks
from peerpath.workforce.boundaries import selectors as boundaries_selectors
from peerpath.workforce.credentials import selectors as credentials_selectors
from peerpath.workforce.models import Credential, RoleDefinition, SurveyRound
from peerpath.workforce.roles import selectors as roles_selectors
from peerpath.workforce.supervision import selectors as supervision_selectors
from peerpath.workforce.surveys import selectors as surveys_selectors
from peerpath.workforce.training import selectors as training_selectors

pytestmark = pytest.mark.django_db


@pytest.mark.django_db(transaction=True)  # the PostgreSQL wipe TRUNCATEs: not inside a test transaction
def test_demo_covers_every_page_and_can_be_seeded_twice(settings, tmp_path):
    from peerpath.demo.seed import seed_demo

    settings.VAR_DIR = tmp_path
    settings.PEERPATH_DEMO_PASSWORD = "demo-password-for-tests"
    seed_demo(clients=40)
    seed_demo(clients=40)  # the wipe reaches every workforce table
    org = Organisation.objects.get(slug="riverside")
    today = timezone.localdate()
    v2 = RoleDefinition.objects.get(organisation=org, version=2)
    assert v2.status == "consultation"
    assert list(v2.reviews.filter(approved_at__isnull=True).values_list("reviewer__username", flat=True)) == [
        "clinician"]
    credentials = Credential.objects.filter(organisation=org)
    assert credentials.filter(expires_on__gt=today, expires_on__lte=today + timedelta(days=30)).count() >= 2
    assert credentials_selectors.credential_lapsed_for(credentials.filter(expires_on__lt=today).first().staff)
    supervisor = StaffMember.objects.get(username="supervisor")
    assert any(row.overdue for row in supervision_selectors.supervision_status_for(supervisor))
    assert any(c["count"] for row in boundaries_selectors.boundary_trend(org.pk)["rows"] for c in row["cells"])
    assert SurveyRound.objects.filter(organisation=org).count() == 3
    assert surveys_selectors.open_rounds_to_answer(StaffMember.objects.get(username="peer"))
    assert any(row["ratio"] for row in roles_selectors.pay_equity(org.pk))
    assert any(row.missing for row in training_selectors.coverage(StaffMember.objects.get(username="leader"))
               if row.staff.role != "peer")


def test_jobs_page_shows_a_failed_run(world, login):
    from django_q.models import Task

    now = timezone.now()
    Task.objects.create(id="a" * 32, name="reminders-1", func=tasks.CREDENTIAL_TASK, started=now, stopped=now,
                        success=False, result="OSError: mail server down", attempt_count=2)
    page = login(world.a.users["admin"]).get(reverse("workforce:jobs")).content.decode()
    assert "Failed" in page and "mail server down" in page and "<td>2</td>" in page
