"""One access model: no module but core/scoping.py compares a role or a scope kind.

Every permission decision goes through the app's Policy (`restrict`, `get`, `may`/`require`); a view, form, nav
entry, service or template that reads `scope.kind` or compares a role has made a decision of its own.
"""

import ast
import re
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "bole"
ALLOWED = {SRC / "core" / "scoping.py"}
SCOPE_WORDS = {"all", "region", "unit", "person", "enterprise", "none"}
ROLE_WORDS = {"admin", "unit_admin", "cadre", "judge", "enterprise", "resident"}


def _reads_scope_kind(node: ast.AST) -> bool:
    """`<something scope-like>.kind`: a name or call mentioning scope."""
    if not (isinstance(node, ast.Attribute) and node.attr == "kind"):
        return False
    return "scope" in ast.unparse(node.value).lower()


def _is_decision(node: ast.Compare) -> bool:
    sides = [node.left, *node.comparators]
    for side in sides:
        if _reads_scope_kind(side) or (isinstance(side, ast.Attribute) and side.attr == "role"):
            return True
        text = ast.unparse(side)
        if text.startswith(("ScopeKind.", "Role.")):
            return True
    consts = set()
    for side in sides:
        for n in ast.walk(side):
            if isinstance(n, ast.Constant) and isinstance(n.value, str):
                consts.add(n.value)
    kinds = [s for s in sides if isinstance(s, ast.Attribute) and s.attr in {"kind", "role"}]
    return bool(kinds) and bool(consts & (SCOPE_WORDS | ROLE_WORDS)) and any(
        "scope" in ast.unparse(s).lower() or s.attr == "role" for s in kinds)


def python_offences() -> list[str]:
    found = []
    for path in sorted(SRC.rglob("*.py")):
        if path in ALLOWED or "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text(), filename=str(path))
        for node in ast.walk(tree):
            bad = (isinstance(node, ast.Compare) and _is_decision(node)) or _reads_scope_kind(node)
            if bad:
                found.append(f"{path.relative_to(SRC)}:{node.lineno}: {ast.unparse(node)[:90]}")
    return sorted(set(found))


TEMPLATE_DECISION = re.compile(r"scope\.kind|scope\.role|\.role\s*(==|!=|in\b)|account\.role")


def template_offences() -> list[str]:
    found = []
    for path in sorted((SRC / "templates").rglob("*.html")):
        for no, line in enumerate(path.read_text().splitlines(), 1):
            if TEMPLATE_DECISION.search(line):
                found.append(f"{path.relative_to(SRC)}:{no}: {line.strip()[:90]}")
    return found


def test_no_role_or_scope_kind_comparison_outside_scoping():
    offences = python_offences() + template_offences()
    assert not offences, "decide through the app's Policy (may/require/restrict):\n" + "\n".join(offences)


def test_the_check_sees_a_comparison():
    """The scan is not vacuous: it finds the comparisons it exists to forbid."""
    samples = ['if scope_of(user).kind == "all": pass', 'x = scope.kind in {"unit", "region"}',
               'ok = account.role == "judge"', 'ok = s.kind == ScopeKind.ALL']
    for src in samples:
        tree = ast.parse(src)
        assert any((isinstance(n, ast.Compare) and _is_decision(n)) or _reads_scope_kind(n)
                   for n in ast.walk(tree)), src
    assert not any(isinstance(n, ast.Compare) and _is_decision(n)
                   for n in ast.walk(ast.parse('ok = unit.kind == "department"')))
