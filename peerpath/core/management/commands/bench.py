"""``peerpath bench NAME`` runs ``bench/NAME.py`` (its ``main()``); ``all`` runs every one.

Benchmarks use their own PostgreSQL database (``BENCH_DATABASE_URL``, default
``postgres://postgres@127.0.0.1:5432/peerpath_bench``) and write ``bench/results/NAME.json``.
"""

from __future__ import annotations

import argparse
import runpy
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

BENCH_DIR = Path(settings.BASE_DIR) / "bench"


class Command(BaseCommand):
    help = "Run benchmarks (PostgreSQL); figures are written to bench/results/<name>.json."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("name", help="core, workforce, outcomes, implementation, fhir or all")
        parser.add_argument("rest", nargs=argparse.REMAINDER, help="passed to the benchmark")

    def handle(self, *args: Any, **options: Any) -> None:
        available = sorted(p.stem for p in BENCH_DIR.glob("*.py") if not p.stem.startswith("_"))
        names = available if options["name"] == "all" else [options["name"]]
        invalid = []
        for name in names:
            if name not in available:
                raise CommandError(f"No benchmark {name!r}; choose from {', '.join(available)} or all")
            self.stdout.write(f"== bench {name}")
            module = runpy.run_path(str(BENCH_DIR / f"{name}.py"), run_name="peerpath_bench")
            try:
                module["main"](options["rest"])
            except SystemExit as stop:  # a benchmark whose validity failed: run the others, fail at the end
                if stop.code not in (None, 0):
                    self.stderr.write(f"bench {name}: {stop.code if isinstance(stop.code, str) else 'invalid'}")
                    invalid.append(name)
        if invalid:
            raise CommandError(f"invalid benchmark results: {', '.join(invalid)} (see the validity section of each result file)")
