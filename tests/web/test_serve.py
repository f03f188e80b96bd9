"""`naervaer serve` is what `make demo` runs: waitress + WhiteNoise, static files collected locally."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

NAERVAER = [sys.executable, "-m", "naervaer.cli"]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str) -> tuple[int, str, bytes]:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.status, response.headers.get("Content-Type", ""), response.read()


@pytest.fixture
def var_dir(tmp_path: Path) -> Path:
    return tmp_path / "var"


def test_serve_answers_with_collected_static_files(var_dir: Path) -> None:
    env = {**os.environ, "NAERVAER_VAR_DIR": str(var_dir), "NAERVAER_SECURE_COOKIES": "false"}
    env.pop("DATABASE_URL", None)
    for command in (
        ["manage", "collectstatic", "--noinput", "--verbosity", "0"],
        ["manage", "migrate", "--verbosity", "0"],
    ):
        subprocess.run([*NAERVAER, *command], env=env, check=True, timeout=120)
    port = _free_port()
    server = subprocess.Popen(
        [*NAERVAER, "serve", "--port", str(port)], env=env, stdout=subprocess.PIPE, text=True
    )
    try:
        assert f"http://127.0.0.1:{port}/" in server.stdout.readline()
        for _ in range(50):
            try:
                status, _, body = _get(f"http://127.0.0.1:{port}/login/")
                break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail("the server did not answer")
        html = body.decode()
        assert status == 200 and "Logg inn" in html
        css_url = re.search(
            r'href="(/static/vendor/designsystemet/src/index\.[0-9a-f]+\.css)"', html
        )
        assert css_url, "stylesheets are served under content-hashed names"
        status, content_type, css = _get(f"http://127.0.0.1:{port}{css_url.group(1)}")
        assert status == 200 and content_type.startswith("text/css") and b".ds-button" in css
        assert (var_dir / "naervaer.sqlite3").exists()
    finally:
        server.terminate()
        server.wait(timeout=10)
