"""``peerpath serve``: gunicorn (process manager) running uvicorn workers (ASGI) for Peerpath.

gunicorn restarts a worker that dies or hangs (``--timeout``), recycles workers after
``PEERPATH_MAX_REQUESTS`` requests, and reloads gracefully on SIGHUP; uvicorn inside each worker
speaks HTTP/1.1 and ASGI. Settings come from the environment:

    PEERPATH_BIND     address to listen on            (default 127.0.0.1:8000; a reverse proxy in front)
    PEERPATH_WORKERS  worker processes                (default: number of CPU cores, at least 2)
    PEERPATH_TIMEOUT  seconds before a stuck worker is replaced (default 60)
    DB_POOL_MAX_SIZE  PostgreSQL connections per worker (config/settings.py; default 4)

In production it refuses to start without SECRET_KEY, ALLOWED_HOSTS and a PostgreSQL DATABASE_URL,
and collects static files (served by whitenoise) before the workers start.
"""

from __future__ import annotations

import argparse
import os
import sys

from peerpath.lib.env import env_int, env_str

WORKER_CLASS = "peerpath.serving.worker.PeerpathWorker"


class NotReadyForProduction(SystemExit):
    pass


def production_problems(environ: dict[str, str] | os._Environ[str]) -> list[str]:
    """What a production server is missing; empty when it may start."""
    problems = []
    if not (environ.get("SECRET_KEY") or environ.get("SECRET_KEY_FILE")):
        problems.append("SECRET_KEY (or SECRET_KEY_FILE) must be set")
    if not environ.get("ALLOWED_HOSTS"):
        problems.append("ALLOWED_HOSTS must list the host names Peerpath answers to")
    url = environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        problems.append("DATABASE_URL must point at PostgreSQL (SQLite is for development and demos)")
    return problems


def gunicorn_argv(*, bind: str, workers: int, timeout: int, max_requests: int) -> list[str]:
    return [
        sys.executable, "-m", "gunicorn", "config.asgi:application",
        "--worker-class", WORKER_CLASS,
        "--workers", str(workers),
        "--bind", bind,
        "--timeout", str(timeout),
        "--graceful-timeout", "30",
        "--keep-alive", "5",
        "--max-requests", str(max_requests),
        "--max-requests-jitter", str(max(max_requests // 10, 1)),
        "--access-logfile", env_str("PEERPATH_ACCESS_LOG", "-") or "-",
        "--error-logfile", "-",
        "--log-level", (env_str("LOG_LEVEL", "info") or "info").lower(),
        "--no-control-socket",  # one fixed path per user would collide between servers; signals suffice
        "--forwarded-allow-ips", env_str("FORWARDED_ALLOW_IPS", "127.0.0.1") or "127.0.0.1",
    ]


def serve(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="peerpath serve", description="Run Peerpath's production server.")
    parser.add_argument("--bind", default=env_str("PEERPATH_BIND", "127.0.0.1:8000"))
    parser.add_argument("--workers", type=int, default=env_int("PEERPATH_WORKERS", max(os.cpu_count() or 2, 2)))
    parser.add_argument("--timeout", type=int, default=env_int("PEERPATH_TIMEOUT", 60))
    parser.add_argument("--max-requests", type=int, default=env_int("PEERPATH_MAX_REQUESTS", 10_000),
                        help="recycle a worker after this many requests (0: never)")
    parser.add_argument("--no-access-log", action="store_true", help="benchmarks: do not log every request")
    parser.add_argument("--no-collectstatic", action="store_true")
    options = parser.parse_args(argv)
    if options.workers < 1:
        parser.error("--workers (PEERPATH_WORKERS) must be at least 1")

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    if os.environ.get("PEERPATH_ENV") == "production":
        problems = production_problems(os.environ)
        if problems:
            raise NotReadyForProduction("peerpath serve: refusing to start in production:\n  - " + "\n  - ".join(problems))
    import django

    django.setup()  # fails here, before any worker starts, when the settings are wrong
    from django.conf import settings
    from django.core.management import call_command

    if settings.IS_PRODUCTION and not options.no_collectstatic:
        call_command("collectstatic", interactive=False, verbosity=0)
    args = gunicorn_argv(bind=options.bind, workers=options.workers, timeout=options.timeout,
                         max_requests=options.max_requests)
    if options.no_access_log:
        index = args.index("--access-logfile")
        del args[index:index + 2]
    sys.stdout.flush()
    os.execv(sys.executable, args)  # noqa: S606 (fixed argv, no shell)  gunicorn replaces this process: signals reach the arbiter directly
