"""``peerpath analyze km|prepost|did|cost FILE``: re-run an evaluation's analysis from a CSV dataset and
print the numbers as JSON (the same functions the evaluation page uses, so the same numbers).

Accepts files from anyone with the documented columns (see docs/outcomes.md); a bad file gets a
message naming the row and column of each problem and exit status 2.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from peerpath.core import disclosure
from peerpath.outcomes import analysis


def _positive_int(value: str) -> int:
    """--min-cell: a whole number of people, at least 1 (0 or less would show every small cell)."""
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number") from None
    if number < 1:
        raise argparse.ArgumentTypeError("must be at least 1 (1 shows every count)")
    return number


class Command(BaseCommand):
    help = "Re-run an evaluation analysis (km, prepost, did or cost) from a de-identified dataset CSV; prints JSON."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("kind", choices=sorted(analysis.COLUMNS), help="which analysis")
        parser.add_argument("file", help="the dataset CSV ('-' reads standard input)")
        parser.add_argument("--min-cell", type=_positive_int, default=disclosure.min_cell_clients(),
                            help="suppress counts of people below this (default: the site setting)")
        for name, default in analysis.COST_DEFAULTS.items():
            parser.add_argument(f"--{name.replace('_', '-')}", type=float, default=default,
                                help=f"cost model only (default {default})")

    def handle(self, *args: Any, **options: Any) -> None:
        kind, name = options["kind"], options["file"]
        min_cell = options["min_cell"]  # call_command(min_cell=...) bypasses the argument's type check
        if isinstance(min_cell, bool) or not isinstance(min_cell, int) or min_cell < 1:
            raise CommandError(f"--min-cell must be a whole number of at least 1 (1 shows every count), not {min_cell!r}")
        if name == "-":
            source: Any = sys.stdin.buffer if hasattr(sys.stdin, "buffer") else sys.stdin
        else:
            path = Path(name)
            if not path.is_file():
                raise CommandError(f"No such file: {name}")
            source = str(path)
        try:
            frame = analysis.read_dataset(kind, source)
        except analysis.AnalysisInputError as exc:
            self.stderr.write(f"{name}: cannot analyse this file:")
            for problem in exc.problems[:50]:
                self.stderr.write(f"  {problem}")
            if len(exc.problems) > 50:
                self.stderr.write(f"  ... and {len(exc.problems) - 50} more")
            raise SystemExit(2) from None
        except UnicodeDecodeError:
            raise CommandError(f"{name}: not UTF-8 text") from None
        costs = {key: options[key] for key in analysis.COST_DEFAULTS}
        if any(v < 0 for v in costs.values()):
            raise CommandError("Costs cannot be negative.")
        result = analysis.run_all({kind: frame}, min_cell=min_cell, cost_parameters=costs, kinds=[kind])[kind]
        self.stdout.write(json.dumps({"analysis": kind, "file": name, "rows": int(len(frame)), "result": result},
                                     indent=2, ensure_ascii=False))
