"""Core's own reactions to domain events (none yet beyond the registry's discovery)."""
