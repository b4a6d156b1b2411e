from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from peerpath.demo.seed import demo_is_seeded, demo_password


class Command(BaseCommand):
    help = "Prepare the database, seed demo data if it is empty, and serve Peerpath."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--addr", default="127.0.0.1:8000")
        parser.add_argument("--no-serve", action="store_true", help="Prepare and seed only.")

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.IS_PRODUCTION:
            raise CommandError("Refusing to run the demo with PEERPATH_ENV=production.")
        call_command("migrate", interactive=False, verbosity=0)
        call_command("createcachetable", verbosity=0)
        if not demo_is_seeded():
            self.stdout.write("Seeding demo data (two organisations, 300 clients, 6 months)…")
            call_command("seed_demo")
        password = demo_password()
        self.stdout.write(self.style.SUCCESS("\nPeerpath demo is ready."))
        self.stdout.write(f"  Open http://{options['addr']}/ and sign in as one of:")
        self.stdout.write("  peer, supervisor, clinician, leader, evaluator, admin (Riverside), other-admin (Northgate)")
        self.stdout.write(f"  Password: {password}\n")
        if not options["no_serve"]:
            call_command("runserver", options["addr"], use_reloader=False)
