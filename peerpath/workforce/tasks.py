"""Background jobs (django-q2, database broker: runs on SQLite in the demo and PostgreSQL in production).

Both jobs are idempotent: every reminder or alert is a row under a unique constraint, so a retried or
repeated run never sends the same reminder twice. A failing run raises, django-q2 retries it
(``Q_CLUSTER["retry"]``/``max_attempts``) and records it as failed; the workforce jobs page shows the runs."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from peerpath.workforce.credentials import services as credentials_services
from peerpath.workforce.supervision import services as supervision_services

CREDENTIAL_TASK = "peerpath.workforce.tasks.send_credential_reminders"
SUPERVISION_TASK = "peerpath.workforce.tasks.send_supervision_alerts"
SCHEDULES = {
    "workforce: credential reminders": CREDENTIAL_TASK,
    "workforce: overdue supervision alerts": SUPERVISION_TASK,
    "core: expired idempotency keys": "peerpath.core.idempotency.idempotency_keys_purge",
}


def send_credential_reminders() -> int:
    return credentials_services.scan_credential_reminders()


def send_supervision_alerts() -> int:
    return supervision_services.scan_supervision_overdue()


def ensure_schedules() -> list[str]:
    """Create (or repair) the daily schedules; safe to call any number of times."""
    from django_q.models import Schedule

    names = []
    first_run = timezone.now().replace(hour=6, minute=0, second=0, microsecond=0) + timedelta(days=1)
    for name, func in SCHEDULES.items():
        Schedule.objects.update_or_create(
            name=name,
            defaults={"func": func, "schedule_type": Schedule.DAILY, "repeats": -1},
            create_defaults={"func": func, "schedule_type": Schedule.DAILY, "repeats": -1, "next_run": first_run},
        )
        names.append(name)
    return names


def recent_runs(limit: int = 20) -> list[object]:
    from django_q.models import Task

    return list(Task.objects.filter(func__in=list(SCHEDULES.values())).order_by("-stopped")[:limit])
