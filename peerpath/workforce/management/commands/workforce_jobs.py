from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from peerpath.workforce import tasks


class Command(BaseCommand):
    help = "Create the workforce reminder schedules (idempotent); --run-now also runs both scans once."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--run-now", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        for name in tasks.ensure_schedules():
            self.stdout.write(f"schedule: {name}")
        if options["run_now"]:
            self.stdout.write(f"credential reminders sent: {tasks.send_credential_reminders()}")
            self.stdout.write(f"supervision alerts sent: {tasks.send_supervision_alerts()}")
