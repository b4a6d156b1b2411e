"""Boundary consultations: a peer asks about a boundary question, a supervisor answers; the quarterly trend."""
