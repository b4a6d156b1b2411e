"""Background job (django-q2, database broker): the daily scan that marks missed measures and sends reminders.
Idempotent: a reminder is a row under a unique constraint, so a repeated run never reminds twice."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

SCAN_TASK = "peerpath.measures.tasks.scan_due_measures"
SCHEDULE_NAME = "measures: due, overdue and missed"


def scan_due_measures() -> dict[str, int]:
    from peerpath.measures.schedules import services

    return services.scan_due()


def ensure_schedule() -> str:
    """Create (or repair) the daily schedule; safe to call any number of times."""
    from django_q.models import Schedule

    first_run = timezone.now().replace(hour=6, minute=15, second=0, microsecond=0) + timedelta(days=1)
    Schedule.objects.update_or_create(
        name=SCHEDULE_NAME,
        defaults={"func": SCAN_TASK, "schedule_type": Schedule.DAILY, "repeats": -1},
        create_defaults={"func": SCAN_TASK, "schedule_type": Schedule.DAILY, "repeats": -1, "next_run": first_run},
    )
    return SCHEDULE_NAME
