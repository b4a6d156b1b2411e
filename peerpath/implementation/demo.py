"""Demo data for the implementation module; called by peerpath.demo after the core data exists."""

from peerpath.demo.context import DemoContext
from peerpath.implementation.integration.demo import seed_integration
from peerpath.implementation.planning.demo import seed as seed_planning
from peerpath.implementation.ratings.demo import seed as seed_ratings
from peerpath.implementation.readiness.demo import seed as seed_readiness
from peerpath.implementation.reference.loader import load_installed


def seed(ctx: DemoContext) -> None:
    """Two readiness rounds and two CFIR rating rounds six months apart showing improvement, a register
    of barriers, a plan half done, and integration trends that rise for one team."""
    load_installed()
    seed_readiness(ctx)
    seed_ratings(ctx)
    seed_planning(ctx)
    seed_integration(ctx)
