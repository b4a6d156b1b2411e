"""``peerpath audit verify``: the audit trail's maintenance commands."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from peerpath.core.management.commands.audit_verify import run_verify


class Command(BaseCommand):
    help = "Audit trail tools. 'verify' checks the hash chains and reports the first broken link."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["verify"])

    def handle(self, *args: Any, **options: Any) -> None:
        run_verify(self)
