"""Load generation for the HTTP benchmarks: wrk with a Lua script that counts every response's status.

wrk alone counts 3xx as success, and when its script fails to load it silently falls back to
``GET /`` (issue 11: the core benchmark measured an anonymous redirect for months). Here the
script is a Lua table literal (no long strings to break), ``response()`` tallies 2xx/3xx/4xx/5xx
per thread, ``done()`` prints the totals, and ``run_wrk`` refuses a run whose tallies are missing.
PostgreSQL connections to the benchmark database are sampled while the load runs.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
import threading
import time
from typing import Any

STATUS_COUNTING = """
local threads = {}
setup = function(thread) table.insert(threads, thread) end
init = function(args) s2, s3, s4, s5 = 0, 0, 0, 0 end
response = function(status, headers, body)
  if status >= 500 then s5 = s5 + 1 elseif status >= 400 then s4 = s4 + 1
  elseif status >= 300 then s3 = s3 + 1 elseif status >= 200 then s2 = s2 + 1 end
end
done = function(summary, latency, requests)
  local t2, t3, t4, t5 = 0, 0, 0, 0
  for _, thread in ipairs(threads) do
    t2 = t2 + thread:get("s2"); t3 = t3 + thread:get("s3"); t4 = t4 + thread:get("s4"); t5 = t5 + thread:get("s5")
  end
  io.write(string.format("PEERPATH-STATUS 2xx=%d 3xx=%d 4xx=%d 5xx=%d\\n", t2, t3, t4, t5))
end
"""


def lua_string(value: Any) -> str:
    """A Lua string literal for ``value`` (quotes and backslashes escaped; no long brackets)."""
    return '"' + str(value).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def lua_request_script(method: str, path_template: str, header_template: dict[str, str], body_template: str | None,
                       peers: list[dict[str, Any]]) -> str:
    """A wrk script that cycles through ``peers``; ``{cookie}``, ``{token}`` and ``{client}`` in the
    path, headers and body are replaced per request with that peer's values."""
    rows = ",\n".join("  {" + ", ".join(f"{key} = {lua_string(value)}" for key, value in peer.items()) + "}" for peer in peers)

    def expr(template: str) -> str:
        parts = re.split(r"\{(cookie|token|client)\}", template)
        return " .. ".join(lua_string(part) if i % 2 == 0 else f"p.{part}" for i, part in enumerate(parts) if part or i % 2)

    headers = ", ".join(f"[{lua_string(name)}] = {expr(value)}" for name, value in header_template.items())
    body = expr(body_template) if body_template is not None else "nil"
    return STATUS_COUNTING + f"""
peers = {{
{rows}
}}
counter = 0
request = function()
  counter = counter + 1
  local p = peers[(counter % #peers) + 1]
  return wrk.format({lua_string(method)}, {expr(path_template)}, {{{headers}}}, {body})
end
"""


def ensure_wrk() -> None:
    if shutil.which("wrk"):
        return
    if os.geteuid() == 0 and shutil.which("apt-get"):
        subprocess.run(["apt-get", "install", "-y", "-q", "wrk"], check=True, stdout=subprocess.DEVNULL)
    if not shutil.which("wrk"):
        raise SystemExit("wrk is needed (Debian package 'wrk')")


def load_average() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


class ConnectionSampler:
    """Counts PostgreSQL backends connected to one database (not this sampler) every 0.25 s."""

    def __init__(self, url: str) -> None:
        self.url, self.database = url, url.rsplit("/", 1)[1]
        self.peak, self._stop = 0, threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        import psycopg

        with psycopg.connect(self.url, autocommit=True) as conn:
            while not self._stop.is_set():
                count = conn.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
                                     [self.database]).fetchone()[0]
                self.peak = max(self.peak, count)
                self._stop.wait(0.25)

    def __enter__(self) -> ConnectionSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=5)


def run_wrk(port: int, script: str, *, connections: int, duration: int, cpus: str | None = None) -> dict[str, Any]:
    """One wrk run; ``cpus`` pins wrk with taskset (the server sits on the other cores)."""
    threads = min(connections, 2)
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write(script)
        path = handle.name
    command = ["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{duration}s", "--latency", "--timeout", "10s",
               "-s", path, f"http://127.0.0.1:{port}"]
    if cpus is not None and shutil.which("taskset"):
        command = ["taskset", "-c", cpus, *command]
    try:
        completed = subprocess.run(command, capture_output=True, text=True, timeout=duration + 60)
    finally:
        os.unlink(path)
    if completed.returncode != 0 or "PEERPATH-STATUS" not in completed.stdout:
        # The script did not load (wrk would otherwise have measured GET /): this run is invalid.
        raise RuntimeError(f"wrk script failed: {completed.stderr.strip() or completed.stdout.strip()}")
    result = parse_wrk(completed.stdout)
    result["load_average"] = load_average()
    return result


def _ms(value: str) -> float:
    number, unit = re.match(r"([\d.]+)(us|ms|s)", value).groups()  # type: ignore[union-attr]
    return round(float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit], 3)


def parse_wrk(out: str) -> dict[str, Any]:
    percentiles = dict(re.findall(r"^\s+(50|75|90|99)%\s+(\S+)", out, re.M))
    statuses = dict(re.findall(r"(\dxx)=(\d+)", out.split("PEERPATH-STATUS", 1)[1]))
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    counts = {key: int(value) for key, value in statuses.items()}
    return {
        "requests": int(re.search(r"(\d+) requests in", out).group(1)),  # type: ignore[union-attr]
        "requests_per_second": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),  # type: ignore[union-attr]
        "latency_ms": {"p50": _ms(percentiles["50"]), "p90": _ms(percentiles["90"]), "p99": _ms(percentiles["99"])},
        "statuses": counts,
        "failures": counts["3xx"] + counts["4xx"] + counts["5xx"],
        "socket_errors": sum(int(x) for x in errors.groups()) if errors else 0,
    }


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(port: int, path: str = "/healthz", attempts: int = 240) -> None:
    import urllib.request

    for _ in range(attempts):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=2) as response:  # noqa: S310 (loopback)
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise SystemExit("the server did not start")
