"""Instruments: the shipped library and an organisation's own, built without code by an admin (options, items, bands, safety rules, per-organisation item text)."""
