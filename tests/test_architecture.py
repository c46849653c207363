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


def test_race_tests_import_race_at_the_top_of_their_module():
    """The race tests run one at a time in their own xdist group (tests/conftest.py), which knows them by the `race`
    their module imports; an import inside a test function would leave it running beside another race."""
    import re

    tests = Path(__file__).resolve().parent
    nested = [f"{p.relative_to(tests)}:{n}" for p in tests.rglob("test_*.py")
              for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
              if re.match(r"\s+from (\.+|tests\.)race import", line)]
    assert nested == []
