from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from peerpath.implementation.reference.loader import load_installed


class Command(BaseCommand):
    help = "Load shipped implementation reference data (CFIR, ERIC, instruments, templates) not yet loaded."

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            loaded = load_installed()
        self.stdout.write(", ".join(loaded) if loaded else "Reference data already up to date.")
