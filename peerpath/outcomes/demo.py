"""Demo data for this app; called by peerpath.demo after the core data exists."""

from peerpath.demo.context import DemoContext


def seed(ctx: DemoContext) -> None:
    """Add this app's demo records."""
