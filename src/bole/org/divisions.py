"""GB/T 2260 行政区划代码, current and historical, from the list shipped in `org/gbt2260.txt`.

A 身份证号 keeps the code of the place that issued it for life, so a number issued before a county was renamed,
merged or abolished carries a retired code: the list holds every code ever published, with its years of use.

The file is generated from python-stdnum's `stdnum/cn/loc.dat` (LGPL-2.1+; its update script reads the
zh.wikipedia tables 中华人民共和国行政区划代码 (1区)…(8区), which follow the GB/T 2260 editions and the Ministry of
Civil Affairs' yearly code lists). To regenerate it from a newer release:

    pip download python-stdnum --no-deps --only-binary :all: -d /tmp/stdnum
    unzip -o /tmp/stdnum/python_stdnum-*.whl stdnum/cn/loc.dat -d /tmp/stdnum
    python -m bole.org.divisions /tmp/stdnum/stdnum/cn/loc.dat "python-stdnum X.Y"

No Django here: the list is read once, on first use, into a frozenset.
"""

from __future__ import annotations

import functools
import hashlib
import re
import sys
from pathlib import Path

DATA_FILE = Path(__file__).with_name("gbt2260.txt")


@functools.cache
def division_names() -> dict[str, str]:
    """code → the names it has had, with years of use as stdnum writes them ("[1983-]德清县")."""
    names: dict[str, str] = {}
    with DATA_FILE.open(encoding="utf-8") as f:
        for line in f:
            if line[:1].isdigit():
                code, _tab, name = line.rstrip("\n").partition("\t")
                names[code] = name
    return names


@functools.cache
def division_codes() -> frozenset[str]:
    """Every 6-digit code in the list, current or retired."""
    return frozenset(division_names())


@functools.cache
def province_prefixes() -> frozenset[str]:
    """The first two digits of every province-level code in the list (11 北京 … 82 澳门)."""
    return frozenset(code[:2] for code in division_codes())


def is_division_code(code: str) -> bool:
    """True for a 6-digit code that is or was a GB/T 2260 administrative division."""
    return code in division_codes()


def parse_stdnum_loc(text: str) -> dict[str, str]:
    """code → names from python-stdnum's `cn/loc.dat` (a province line `11 province="北京市"`, then its codes'
    last four digits indented: `  0101 county="东城区"`)."""
    out: dict[str, str] = {}
    province = None
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        m = re.fullmatch(r'(\d{2}) province="[^"]*"', line.strip()) if not line.startswith(" ") else None
        if m:
            province = m.group(1)
            continue
        m = re.fullmatch(r'\s+(\d{4}) county="([^"]*)"', line)
        if not m or province is None:
            raise ValueError(f"unexpected line in loc.dat: {line!r}")
        out[province + m.group(1)] = m.group(2)
    return out


def render(codes: dict[str, str], *, source: str, sha256: str) -> str:
    """The data file: a header saying where it came from, then `code<TAB>names`, sorted."""
    head = [
        "# GB/T 2260 行政区划代码，现行与历史（身份证号前6位可为已撤销的代码）。",
        "# Administrative division codes of GB/T 2260, current and retired, with years of use in [from-to].",
        f"# Generated from {source}, stdnum/cn/loc.dat (sha256 {sha256}), licensed LGPL-2.1-or-later;",
        "# stdnum builds that file from the zh.wikipedia tables 中华人民共和国行政区划代码 (1区)…(8区).",
        "# Regenerate: python -m bole.org.divisions PATH/TO/stdnum/cn/loc.dat \"python-stdnum X.Y\"",
        f"# {len(codes)} codes.",
    ]
    return "\n".join(head + [f"{code}\t{codes[code]}" for code in sorted(codes)]) + "\n"


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: python -m bole.org.divisions PATH/TO/stdnum/cn/loc.dat 'python-stdnum X.Y'", file=sys.stderr)
        return 2
    raw = Path(argv[0]).read_bytes()
    codes = parse_stdnum_loc(raw.decode("utf-8"))
    DATA_FILE.write_text(render(codes, source=argv[1], sha256=hashlib.sha256(raw).hexdigest()), encoding="utf-8")
    print(f"{DATA_FILE}: {len(codes)} codes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
