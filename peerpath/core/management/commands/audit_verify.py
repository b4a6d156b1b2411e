"""``peerpath audit verify`` (or ``peerpath audit_verify``): check the audit trail's hash chains."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from peerpath.core.audit_chain import verify_chains


def run_verify(command: BaseCommand) -> None:
    result = verify_chains()
    if result.broken is not None:
        link = result.broken
        raise CommandError(
            f"Audit trail broken at event {link.event_id} (organisation {link.organisation_id or '-'}): {link.problem}. "
            f"{result.checked} events checked."
        )
    note = f" ({result.unchained} written before the chain existed)" if result.unchained else ""
    command.stdout.write(f"Audit trail intact: {result.checked} events checked{note}.")


class Command(BaseCommand):
    help = "Verify the audit trail's hash chains and report the first broken link."

    def handle(self, *args: Any, **options: Any) -> None:
        run_verify(self)
