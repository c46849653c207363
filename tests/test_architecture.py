"""The architecture is checked, not just described."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_engines_import_no_django_and_no_app():
    out = subprocess.run([Path(sys.executable).with_name("lint-imports"), "--no-cache"], cwd=ROOT,
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stdout[-3000:] + out.stderr[-2000:]
    assert "broken" in out.stdout and "0 broken" in out.stdout


def test_no_cdn_links_in_templates():
    templates = (ROOT / "src/bole/templates").rglob("*.html")
    offenders = [str(p) for p in templates if "://" in p.read_text() and "http://www.w3.org" not in p.read_text()]
    assert not offenders, offenders
