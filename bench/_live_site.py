"""A real Nærvær server for load runs: its own database, ``naervaer serve`` (waitress) in a
subprocess, and HTTP clients that log in and save follow-up talks the way a browser does.

Used by ``bench/concurrent_load.py`` and by the concurrency tests (``tests/concurrency``), so the
benchmark and the test drive exactly the same thing.
"""

from __future__ import annotations

import http.cookiejar
import os
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NAERVAER = Path(sys.executable).with_name("naervaer")
DEMO_PASSWORD = "naervaer-demo"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def site_env(var_dir: Path, database_url: str | None, **extra: str) -> dict[str, str]:
    """The environment of every process of one site: its var dir, database and plain-http cookies."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(
        NAERVAER_VAR_DIR=str(var_dir),
        NAERVAER_SECURE_COOKIES="false",
        NAERVAER_2FA="off",
        NAERVAER_NODE_MODULES=str(ROOT / "node_modules"),
        **extra,
    )
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def naervaer(env: Mapping[str, str], *args: str, timeout: float = 900) -> str:
    """Run a ``naervaer`` command of the site; its output, or an error with what it printed."""
    done = subprocess.run(
        [str(NAERVAER), *args],
        check=False,
        env=dict(env),
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if done.returncode != 0:
        raise RuntimeError(f"naervaer {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def django_eval(env: Mapping[str, str], code: str) -> str:
    """Run Python in the site's Django (``naervaer manage shell -c``); what it printed."""
    return naervaer(env, "manage", "shell", "--no-imports", "-c", code).strip()


def prepare(env: Mapping[str, str], employees: int = 60) -> None:
    """Collect the static files, migrate the site's database and load a small demo organisation."""
    naervaer(env, "manage", "collectstatic", "--noinput", "--verbosity", "0")
    naervaer(env, "manage", "migrate", "--noinput", "--verbosity", "0")
    naervaer(env, "demo", "generate", "--if-empty", "--employees", str(employees), "--years", "2")


@contextmanager
def serving(env: Mapping[str, str], threads: int = 8) -> Iterator[str]:
    """``naervaer serve`` on a free port until the block ends; yields its base URL."""
    port = free_port()
    log = Path(env["NAERVAER_VAR_DIR"]) / f"serve-{port}.log"
    with log.open("w") as out:
        server = subprocess.Popen(
            [str(NAERVAER), "serve", "--port", str(port), "--threads", str(threads)],
            env=dict(env),
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                urllib.request.urlopen(f"{url}/login/", timeout=5).close()
                break
            except OSError:  # refused, reset or slow to answer: not up yet
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"the server did not start:\n{log.read_text()}") from None
                time.sleep(0.3)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=30)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Client:
    """One logged-in browser session: cookies, CSRF token, no redirects followed."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect()
        )

    def request(self, path: str, data: Mapping[str, str] | None = None) -> int:
        """GET (or POST with ``data`` and the CSRF token); the HTTP status."""
        body = None
        if data is not None:
            token = next((c.value for c in self.jar if c.name == "csrftoken"), "")
            body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": token}).encode()
        try:
            with self.opener.open(self.base_url + path, data=body, timeout=120) as response:
                response.read()
                return response.status
        except urllib.error.HTTPError as error:
            return error.code

    def login(self, username: str, password: str = DEMO_PASSWORD) -> None:
        self.request("/login/")
        status = self.request("/login/", {"username": username, "password": password})
        if status != 302:
            raise RuntimeError(f"login as {username} answered {status}")


@dataclass
class LoadResult:
    seconds: float
    write_ok: int = 0
    write_errors: int = 0
    read_ok: int = 0
    read_errors: int = 0
    write_latencies: list[float] = field(default_factory=list)
    read_latencies: list[float] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)

    @property
    def writes_per_second(self) -> float:
        return self.write_ok / self.seconds

    @staticmethod
    def p95(values: list[float]) -> float:
        if len(values) < 2:
            return values[0] if values else float("nan")
        return statistics.quantiles(values, n=20)[-1]


def writable_cases(env: Mapping[str, str], count: int) -> list[int]:
    """Ids of the latest follow-up cases (HR may record a talk in any of them)."""
    code = (
        "from naervaer.followup.models import FollowupCase;"
        f"print(*FollowupCase.objects.order_by('-pk').values_list('pk', flat=True)[:{count}])"
    )
    return [int(pk) for pk in django_eval(env, code).split()]


def stored_talks(env: Mapping[str, str], marker: str) -> int:
    """How many talks whose minutes carry ``marker`` are in the database."""
    code = (
        "from naervaer.followup.models import Meeting;"
        f"print(Meeting.objects.filter(minutes__startswith={marker!r}).count())"
    )
    return int(django_eval(env, code))


def run_load(
    base_url: str,
    cases: list[int],
    writers: int,
    readers: int,
    seconds: float,
    username: str = "hr",
) -> tuple[LoadResult, str]:
    """``writers`` sessions saving follow-up talks and ``readers`` sessions opening cases, for
    ``seconds``; returns the counts and the marker that the saved talks' minutes start with."""
    marker = f"load-{uuid.uuid4().hex[:12]}"
    clients = [Client(base_url) for _ in range(writers + readers)]
    for client in clients:
        client.login(username)
    result = LoadResult(seconds=seconds)
    lock = threading.Lock()
    start = threading.Barrier(len(clients))

    def record(kind: str, status: int, ok_status: int, elapsed: float) -> None:
        with lock:
            result.statuses[status] = result.statuses.get(status, 0) + 1
            ok = status == ok_status
            if kind == "write":
                result.write_latencies.append(elapsed)
                result.write_ok += ok
                result.write_errors += not ok
            else:
                result.read_latencies.append(elapsed)
                result.read_ok += ok
                result.read_errors += not ok

    def writer(number: int, client: Client) -> None:
        start.wait()
        deadline, n = time.monotonic() + seconds, 0
        while time.monotonic() < deadline:
            case = cases[(number + n) % len(cases)]
            n += 1
            began = time.monotonic()
            status = client.request(
                f"/oppfolging/sak/{case}/mote/ny/",
                {
                    "kind": "follow_up_talk",
                    "held_on": "2026-11-02",
                    "minutes": f"{marker} writer {number} talk {n}",
                },
            )
            record("write", status, 302, time.monotonic() - began)

    def reader(number: int, client: Client) -> None:
        start.wait()
        deadline, n = time.monotonic() + seconds, 0
        while time.monotonic() < deadline:
            path = (
                "/oppfolging/" if n % 2 else f"/oppfolging/sak/{cases[(number + n) % len(cases)]}/"
            )
            n += 1
            began = time.monotonic()
            record("read", client.request(path), 200, time.monotonic() - began)

    threads = [
        threading.Thread(target=writer if i < writers else reader, args=(i, client))
        for i, client in enumerate(clients)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return result, marker


def fresh_var_dir(path: Path) -> Path:
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True)
    return path
