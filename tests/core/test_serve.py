"""`bole serve` (gunicorn + WhiteNoise) really serves pages and the local static assets."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

BOLE = str(Path(sys.executable).with_name("bole"))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serve_pages_and_static_assets(tmp_path):
    env = {**os.environ, "BOLE_DATA_DIR": str(tmp_path)}
    env.pop("DATABASE_URL", None)
    subprocess.run([BOLE, "migrate", "-v0"], env=env, check=True)
    port = _free_port()
    proc = subprocess.Popen([BOLE, "serve", "--port", str(port), "--workers", "1"], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/login/", timeout=2)  # noqa: S310 - loopback only
                break
            except OSError:
                time.sleep(0.2)
        html = urllib.request.urlopen(base + "/login/", timeout=5).read().decode()  # noqa: S310
        assert "登录伯乐" in html
        for asset in ("vendor/htmx.min.js", "vendor/pico.min.css", "vendor/echarts.min.js", "bole/bole.css",
                      "bole/bole.js"):
            resp = urllib.request.urlopen(f"{base}/static/{asset}", timeout=5)  # noqa: S310
            assert resp.status == 200 and len(resp.read()) > 100, asset
    finally:
        proc.terminate()
        proc.wait(timeout=20)
