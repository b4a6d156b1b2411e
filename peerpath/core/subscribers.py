"""Core's own reactions to domain events: live streams wake when a notification is created."""

from peerpath.core import live  # noqa: F401  # registers live.wake_streams
