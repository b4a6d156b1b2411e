"""Demo data for this part of the implementation module."""

from peerpath.demo.context import DemoContext


def seed(ctx: DemoContext) -> None:
    """Add demo records."""
