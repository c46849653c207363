"""Deployment settings: `check --deploy` is clean under the HTTPS settings group, and every page carries a
Content-Security-Policy that no template needs to loosen (no inline script, style or event handler)."""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import bole

BOLE = str(Path(sys.executable).with_name("bole"))
TEMPLATES = Path(bole.__file__).parent / "templates"


def _check_deploy(tmp_path, **env) -> subprocess.CompletedProcess:
    env = {**os.environ, "BOLE_DATA_DIR": str(tmp_path), "SECRET_KEY": secrets.token_urlsafe(64), "DEBUG": "",
           "ALLOWED_HOSTS": "bole.example.gov.cn", **env}
    env.pop("DATABASE_URL", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set for the browser tests' live server, never in a deployment
    return subprocess.run([BOLE, "check", "--deploy", "--fail-level", "WARNING"], env=env, capture_output=True,
                          text=True, timeout=300)


def test_check_deploy_is_clean_under_the_https_settings(tmp_path):
    done = _check_deploy(tmp_path, BOLE_HTTPS="1", BOLE_ALLOWED_ORIGINS="https://bole.example.gov.cn")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "System check identified no issues" in done.stdout
    assert "WARNING" not in done.stderr.upper() and "security.W" not in done.stdout + done.stderr


def test_without_the_https_settings_check_deploy_warns(tmp_path):
    done = _check_deploy(tmp_path)
    assert done.returncode != 0
    for warning in ("security.W004", "security.W008", "security.W012", "security.W016"):  # HSTS, redirect, cookies
        assert warning in done.stdout + done.stderr


def test_pages_carry_a_strict_content_security_policy(login):
    for client, url in ((login("town1"), "/"), (login("town1"), "/people/"), (login("town1"), "/login/")):
        policy = client.get(url)["Content-Security-Policy"]
        directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
        assert directives["default-src"] == "'self'"
        assert directives["script-src"] == "'self'" and directives["style-src"] == "'self'"
        assert "unsafe" not in policy and directives["frame-ancestors"] == "'none'"


INLINE = [
    (re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", re.I), "inline <script>"),
    (re.compile(r"<style\b", re.I), "<style> block"),
    (re.compile(r"\sstyle\s*=", re.I), "style= attribute"),
    (re.compile(r"\son[a-z]+\s*=", re.I), "on* handler"),
    (re.compile(r"\shx-on", re.I), "hx-on handler"),
    (re.compile(r"javascript:", re.I), "javascript: URL"),
]


def test_no_template_has_inline_script_style_or_handlers():
    found = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        text = path.read_text()
        for pattern, what in INLINE:
            found += [f"{path.relative_to(TEMPLATES)}: {what}: {m.group(0)}" for m in pattern.finditer(text)]
    assert found == []
