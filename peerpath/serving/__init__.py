"""How Peerpath is served in production: ``peerpath serve`` (gunicorn managing uvicorn workers).

``worker.py`` holds the worker class (TCP_NODELAY on every accepted connection), ``command.py``
builds the gunicorn command line from the environment and refuses to start without the settings
production needs. See docs/operations.md.
"""
