"""One-time survey links: a client answers an administration on their own device, without signing in."""
