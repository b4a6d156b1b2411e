import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django_application = get_asgi_application()

from django.conf import settings  # noqa: E402  (after Django is set up)

from peerpath.core.body_limit import BodyLimitASGI  # noqa: E402

# Oversized bodies are refused from the headers, before Django reads them (peerpath.core.body_limit).
application = BodyLimitASGI(django_application, limit=lambda: settings.REQUEST_MAX_BODY_BYTES)
