"""Administrations: a measure given to a client (in session or by link), its answers, score and safety alerts."""
