"""Running one cell of the matrix: request a URL as a role on records inside and outside the role's scope, and
compare what came back with the class the table gives it."""

from __future__ import annotations

import io
import json
import re
import zipfile
from dataclasses import dataclass

from .requests import API_ARGS, API_QUERY, BODY, PAGE_ARGS, QUERY, VARIANT_ARGS

ROLES = (
    "county",
    "town",
    "townunit",
    "dept",
    "cadre",
    "young",
    "judge",
    "enterprise",
    "resident",
    "party",
    "anon",
)
GROUPS = {
    "local": ("town", "townunit", "dept"),
    "persons": ("cadre", "young", "judge", "resident", "party"),
    "cadres": ("cadre", "young", "party"),
}
PERSONAL = ("cadre", "young", "judge", "enterprise", "resident", "party")

# Which sides of the world lie inside each role's scope, and which outside. A personal role's "inside" is the
# A-side record of the table's key (tied to that role where the world says so, e.g. `growth_record` A is the
# young cadre's own); X is the A-side bystander no personal role reaches.
INSIDE = {
    "county": ("A", "B", "D", "X"),
    "town": ("A", "X"),
    "townunit": ("A", "X"),
    "dept": ("D",),
    **{r: ("A",) for r in PERSONAL},
    "anon": ("A",),
}
OUTSIDE = {
    "county": (),
    "town": ("B", "D"),
    "townunit": ("B", "D"),
    "dept": ("A", "B", "X"),
    **{r: ("B", "D", "X") for r in PERSONAL},
    "anon": ("B", "D", "X"),
}
MARKS = {"A": ("欧阳",), "B": ("司马",), "D": ("诸葛", "县教育局"), "X": ("上官",)}

# Classes of a cell.
OK = "ok"  # every request is answered (no scope: public, or the county)
SCOPED = (
    "scoped"  # inside → answered, outside → 403/404 (or, for a write, refused: nothing written); no answer
)
#                   shows a row of an outside side
DENY = "deny"  # 403 or 404 on every record
LOGIN = "login"  # a redirect to the login page (pages) or 401 (API)
NONE = (
    "none"  # 403/404, or an answer that shows nothing outside the scope and writes nothing (an empty picker)
)
# Like SCOPED, but the page may name other sides: a form offering a choice among every unit of the county.
SCOPED_FORM = "scoped-form"
CLASSES = (OK, SCOPED, SCOPED_FORM, DENY, LOGIN, NONE)


@dataclass(frozen=True)
class Expect:
    """A cell's class; `xfail` names a known gap (the test is then expected to fail, strictly)."""

    cls: str
    xfail: str = ""


def xfail(cls: str, reason: str) -> Expect:
    return Expect(cls, reason)


def row(default: str | Expect, **cells: str | Expect) -> dict[str, Expect]:
    """One URL's classes by role: `default` for every role not named; a group name (local, persons, cadres)
    sets its roles; anonymous users are sent to the login page unless `anon=` says otherwise."""
    out = {r: default for r in ROLES}
    out["anon"] = LOGIN
    for name, value in cells.items():
        for r in GROUPS.get(name, (name,)):
            out[r] = value
    return {r: (v if isinstance(v, Expect) else Expect(v)) for r, v in out.items()}


# --- requests ------------------------------------------------------------------------------------------------


def split_key(key: str) -> tuple[str, str, str]:
    """'GET people-detail#history' → ('GET', 'people-detail', 'history')."""
    method, target = key.split(" ", 1)
    name, _, variant = target.partition("#")
    return method, name, variant


def is_api(key: str) -> bool:
    return split_key(key)[1].startswith("/api/")


def _spec(key: str) -> dict[str, str]:
    method, name, variant = split_key(key)
    if is_api(key):
        return API_ARGS.get(name, {})
    return {**PAGE_ARGS.get(name, {}), **VARIANT_ARGS.get(f"{name}#{variant}", {})}


def _resolve(world, spec: dict[str, str], side: str, role: str) -> dict[str, object] | None:
    out = {}
    for param, source in spec.items():
        if source.startswith("="):
            out[param] = source[1:]
            continue
        value = world.get(source, f"{side}:{role}")
        if value is None:
            value = world.get(source, side)
        if value is None:
            return None
        out[param] = value
    return out


def url_of(key: str, kwargs: dict[str, object]) -> str:
    from django.urls import reverse

    method, name, variant = split_key(key)
    if is_api(key):
        path = name
        for param, value in kwargs.items():
            path = path.replace("{" + param + "}", str(value))
        query = API_QUERY.get(key, "")
    else:
        path = reverse(name, kwargs=kwargs or None)
        query = QUERY.get(key, "")
    return path + ("?" + query if query else "")


def requests_for(key: str, role: str, world) -> list[tuple[str, str]]:
    """(side, url) to request: one per side with a record (inside sides first); a URL shared by several sides
    (a county-wide record, a page without parameters) is requested once, as inside."""
    spec = _spec(key)
    seen: dict[str, str] = {}
    out = []
    for side in (*INSIDE[role], *OUTSIDE[role]):
        kwargs = _resolve(world, spec, side, role)
        if kwargs is None:
            continue
        url = url_of(key, kwargs)
        if url in seen:
            continue
        seen[url] = side
        out.append((side, url))
    return out


def body_for(key: str, world, side: str):
    body = BODY.get(key, {})
    return body(world, side) if callable(body) else body


def send(client, key: str, url: str, body):
    method = split_key(key)[0]
    if is_api(key):
        if method == "GET":
            return client.get(url)
        if isinstance(body, dict) and body.pop("_multipart", False):
            return client.post(url, data=body)
        return client.generic(
            method, url, data=json.dumps(body) if body is not None else "", content_type="application/json"
        )
    if method == "GET":
        return client.get(url)
    return client.post(url, data=body or {})


# --- reading answers ---------------------------------------------------------------------------------------------


WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


def writes_so_far() -> tuple[int, ...]:
    """Counts of the rows every write leaves (audit rows, case timeline events, judges' scores)."""
    from django.apps import apps

    return tuple(
        apps.get_model(label).objects.count()
        for label in ("core.AuditEvent", "cases.Event", "evaluation.JudgeScore")
    )


def outcome(response) -> str:
    """pass (the request was served: a page, a redirect elsewhere, a form or validation error, 400 or 422),
    deny (403/404),
    login (redirect to the login page, or 401), or the status code when it is none of these (405, 422, 500...).
    A write that was served but left no row is `refused` (a form error, an ignored post)."""
    status = response.status_code
    if status == 401:
        return "login"
    if status in (301, 302, 303) and response.get("Location", "").split("?")[0].endswith("/login/"):
        return "login"
    if status in (403, 404):
        return "deny"
    if 200 <= status < 400 or status in (400, 409, 410, 422):  # 422: an id in the body names no usable record
        return "pass"
    return str(status)


def text_of(response) -> str:
    """Everything a response shows, as text: HTML, JSON (unescaped), .xlsx cells, .docx text, files."""
    raw = b"".join(response.streaming_content) if getattr(response, "streaming", False) else response.content
    ctype = response.get("Content-Type", "")
    if "spreadsheetml" in ctype:
        from openpyxl import load_workbook

        wb = load_workbook(io.BytesIO(raw), read_only=True)
        return "\n".join(
            str(v) for ws in wb.worksheets for r in ws.iter_rows(values_only=True) for v in r if v is not None
        )
    if "wordprocessingml" in ctype:
        with zipfile.ZipFile(io.BytesIO(raw)) as z:
            return re.sub(r"<[^>]+>", "", z.read("word/document.xml").decode())
    if "json" in ctype:
        try:
            return json.dumps(json.loads(raw), ensure_ascii=False)
        except ValueError:
            return raw.decode(errors="replace")
    return raw.decode(errors="replace")


def leaks(text: str, sides) -> list[str]:
    return [m for s in sides for m in MARKS[s] if m in text]


@dataclass
class Seen:
    side: str
    url: str
    outcome: str
    leaks: list[str]
    inside: bool
    write: bool = False


def observe(client, key: str, role: str, world) -> list[Seen]:
    seen = []
    write = split_key(key)[0] in WRITE_METHODS
    for side, url in requests_for(key, role, world):
        before = writes_so_far() if write else None
        response = send(client, key, url, body_for(key, world, side))
        got = outcome(response)
        if write and got == "pass" and writes_so_far() == before:
            got = "refused"
        shown = leaks(text_of(response), OUTSIDE[role]) if got in ("pass", "refused") else []
        seen.append(Seen(side, url, got, shown, side in INSIDE[role], write))
    return seen


def problems(expect: str, seen: list[Seen], role: str) -> list[str]:
    """What in `seen` contradicts the class `expect` (empty when the cell holds)."""
    out = []
    for s in seen:
        where = f"{s.url} ({'inside' if s.inside else 'outside'}, side {s.side})"
        if s.outcome not in ("pass", "refused", "deny", "login"):
            out.append(f"{where}: status {s.outcome}")
            continue
        want = {
            OK: {"pass", "refused"},
            DENY: {"deny"},
            LOGIN: {"login"},
            NONE: {"refused", "deny"} if s.write else {"pass", "deny"},
            SCOPED: {"pass", "refused"} if s.inside else {"deny", "refused"},
        }[SCOPED if expect == SCOPED_FORM else expect]
        if s.outcome not in want:
            out.append(f"{where}: {s.outcome}, expected {'/'.join(sorted(want))}")
        if expect in (SCOPED, NONE) and s.leaks:
            out.append(f"{where}: shows {', '.join(s.leaks)} (outside {role}'s scope)")
    return out


def classify(seen: list[Seen]) -> str:
    """The class a set of observations fits best (for drafting a table row)."""
    outcomes = {s.outcome for s in seen}
    if any(s.leaks for s in seen):
        return "LEAK"
    if outcomes == {"login"}:
        return LOGIN
    if outcomes == {"deny"}:
        return DENY
    if outcomes == {"pass"} and all(s.inside for s in seen):
        return SCOPED if len(seen) >= 1 else OK
    if outcomes == {"pass"}:
        return OK
    if all((s.outcome == "pass") == s.inside for s in seen):
        return SCOPED
    return "MIXED:" + ",".join(f"{s.side}{'+' if s.inside else '-'}={s.outcome}" for s in seen)
