"""Supervision sessions, each organisation's supervision policy, who supervises whom, and overdue alerts."""
