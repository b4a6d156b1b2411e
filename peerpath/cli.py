"""The ``peerpath`` command: Django's management commands plus a few short names.

    peerpath demo              migrate, seed demo data if empty, serve on http://127.0.0.1:8000
    peerpath serve             production server: gunicorn + uvicorn workers (see docs/operations.md)
    peerpath seed-demo         (re)create the demo data
    peerpath analyze ...       re-run an evaluation from CSV files
    peerpath bench NAME|all    run benchmarks (PostgreSQL), figures in bench/results/
    peerpath <django command>  e.g. peerpath migrate, peerpath createsuperuser
"""

from __future__ import annotations

import os
import sys

ALIASES = {"seed-demo": "seed_demo"}


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    args = list(sys.argv if argv is None else argv)
    if len(args) > 1 and args[1] == "serve":
        from peerpath.serving.command import serve

        serve(args[2:])
        return
    if len(args) > 1:
        args[1] = ALIASES.get(args[1], args[1])
    from django.core.management import execute_from_command_line

    execute_from_command_line(args)


if __name__ == "__main__":
    main()
