"""What the core demo seed hands to each app's ``demo.seed(ctx)``."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date
from typing import Any


@dataclass
class DemoContext:
    """Everything an app's demo seeder needs: the organisations, their staff and clients.

    ``staff`` maps the demo account names (``peer``, ``supervisor``, ``clinician``, ``leader``,
    ``evaluator``, ``admin``, ``other-admin``) to StaffMember rows; ``organisations`` is
    ``[main, other]``. Use ``rng`` (seeded) so demo data is the same on every run.
    """

    organisations: list[Any]
    teams: dict[int, list[Any]]  # organisation id -> teams
    staff: dict[str, Any]
    peers: dict[int, list[Any]]  # organisation id -> peer staff
    all_staff: dict[int, list[Any]]  # organisation id -> every staff member
    clients: dict[int, list[Any]]  # organisation id -> clients
    today: date
    rng: random.Random = field(default_factory=lambda: random.Random(20261122))
