from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from peerpath.demo.seed import seed_demo


class Command(BaseCommand):
    help = "Replace all data with the synthetic demo data set (never in production)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--clients", type=int, default=300)

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.IS_PRODUCTION:
            raise CommandError("Refusing to seed demo data with PEERPATH_ENV=production.")
        summary = seed_demo(clients=options["clients"])
        self.stdout.write(self.style.SUCCESS(f"Demo data seeded: {summary}"))
