"""Demo data for integration trends."""

from peerpath.demo.context import DemoContext


def seed_integration(ctx: DemoContext) -> None:
    """Add demo records."""
