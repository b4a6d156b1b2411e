"""Peer certification credentials, their expiry status, and the daily reminders before they lapse."""
