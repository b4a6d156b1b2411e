"""Production guards and the demo data set."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

from peerpath.accounts.models import StaffMember
from peerpath.care.models import Encounter, TeamMeeting
from peerpath.clients.models import Client, Referral
from peerpath.core.models import Organisation, Team

ROOT = Path(__file__).resolve().parents[3]


def _run(code: str, **env: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DATABASE_URL"}}
    environment.update({"DJANGO_SETTINGS_MODULE": "config.settings", **env})
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120)


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    result = _run("import django; django.setup()", PEERPATH_ENV="production", PEERPATH_VAR_DIR=str(tmp_path))
    assert result.returncode != 0
    assert "SECRET_KEY must be set in the environment" in result.stderr


def test_production_refuses_to_seed_demo_data(tmp_path):
    code = "import django; django.setup(); from django.core.management import call_command; call_command('seed_demo')"
    result = _run(code, PEERPATH_ENV="production", SECRET_KEY="x" * 50, PEERPATH_VAR_DIR=str(tmp_path),
                  SQLITE_PATH=str(tmp_path / "db.sqlite3"), ALLOWED_HOSTS="localhost")
    assert result.returncode != 0
    assert "Refusing to seed demo data with PEERPATH_ENV=production" in result.stderr


@pytest.mark.django_db(transaction=True)
def test_demo_data_is_complete_and_isolated(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    settings.PEERPATH_DEMO_PASSWORD = "demo-password-for-tests"
    call_command("seed_demo")
    riverside, northgate = Organisation.objects.get(slug="riverside"), Organisation.objects.get(slug="northgate")
    assert Client.objects.filter(organisation=riverside).count() + Client.objects.filter(organisation=northgate).count() >= 300
    assert StaffMember.objects.filter(organisation=riverside).count() >= 15
    assert StaffMember.objects.filter(organisation=riverside, role="peer").count() >= 8
    assert Team.objects.filter(organisation=riverside).count() >= 3
    for username in ["peer", "supervisor", "clinician", "leader", "evaluator", "admin", "other-admin"]:
        staff = StaffMember.objects.get(username=username)
        assert staff.check_password("demo-password-for-tests")
    assert StaffMember.objects.get(username="other-admin").organisation == northgate
    assert Referral.objects.filter(organisation=riverside).values("status").distinct().count() == 5
    assert Encounter.objects.filter(organisation=riverside).count() > 1000
    assert TeamMeeting.objects.filter(organisation=riverside).count() >= 26 * 3
    first, last = Referral.objects.order_by("created_at").first(), Referral.objects.order_by("created_at").last()
    assert (last.created_at - first.created_at).days >= 150  # six months of history
