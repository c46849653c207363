"""Every page, asked for with hostile parameters, answers without a server error.

Walks every URL pattern of the site (the API has its own fuzzing: .ci/schemathesis), fills its path with a real id
where one exists, and requests it as the county administrator with every query parameter a page reads set to a
hostile value (a huge number, a negative year, a quote, a NUL byte, nonsense), then with huge ids and hostile path
strings. A 4xx is fine; a 5xx (or an exception) is a failure.
"""

from __future__ import annotations

import pytest
from django.apps import apps

from tests.routes import routes

# Every name a page reads from its query string (request.GET / a Filter): each request sets all of them.
PARAMS = ["active", "by", "categories", "category", "cohort", "colour", "desk", "field", "flag", "grade", "group",
          "industry", "kind", "level", "major", "month", "page", "period", "person", "preview", "q", "region", "reveal",
          "scheme", "show", "sort", "state", "status", "t", "tab", "type", "unit", "year", "person_q", "next"]
HOSTILE = ["1" + "0" * 30, "-1", "'", "\x00", "99999", "0", "2024-13-45", "abc", "🐎" * 50, "%", "[]"]
HUGE_ID = 10**30

# Which model a URL's `pk` names, by the URL name's prefix (longest first); other kwargs by their own name.
PK_MODELS = [
    ("inbox-read", "core.Notification"), ("people", "org.Person"), ("units", "org.Unit"),
    ("enterprises", "org.Enterprise"), ("regions", "org.Region"), ("evaluation", "evaluation.Evaluation"),
    ("ledger", "ledger.PointEntry"), ("cases-desk", "cases.Desk"), ("cases-calendar", "cases.CalendarEntry"),
    ("cases-task", "cases.CaseTask"), ("cases-attachment", "cases.Attachment"), ("cases", "cases.Case"),
    ("community-adopt", "community.Stairwell"), ("community-issue", "community.CoGovernanceCommittee"),
    ("community", "community.HomeBranch"), ("challenges", "challenges.Challenge"),
    ("projects-milestone", "projects.Milestone"), ("projects", "projects.Project"),
    ("awards-withdraw", "awards.Nomination"), ("awards-answer", "awards.Objection"), ("awards", "awards.AwardRound"),
    ("growth", "growth.GrowthRecord"), ("assessment-scheme", "assessment.Scheme"),
    ("assessment-decision", "assessment.GradeDecision"), ("assessment-answer", "assessment.Objection"),
    ("assessment", "assessment.Round"),
]
KWARG_MODELS = {"sid": "evaluation.Subject", "ms_pk": "challenges.Milestone", "entry_pk": "growth.GrowthEntry",
                "person_id": "org.Person", "app_pk": "challenges.Application", "member_pk": "challenges.PanelMember"}
STR_KWARGS = {"what": "subject", "source": "people", "code": "manual", "token": "x"}


def _patterns() -> list[tuple[str, object]]:
    return [(route, pattern) for _name, route, pattern in routes()]


def _first_id(label: str) -> int:
    try:
        model = apps.get_model(label)
    except LookupError:
        return 1
    return model.objects.order_by("pk").values_list("pk", flat=True).first() or 1


def _kwargs(name: str, pattern, *, huge: bool = False, text: str | None = None) -> dict:
    out = {}
    for key, converter in pattern.pattern.converters.items():
        kind = type(converter).__name__
        if kind == "IntConverter":
            if huge:
                out[key] = HUGE_ID
            elif key == "pk":
                label = next((m for prefix, m in PK_MODELS if (name or "").startswith(prefix)), None)
                out[key] = _first_id(label) if label else 1
            else:
                out[key] = _first_id(KWARG_MODELS[key]) if key in KWARG_MODELS else 1
        else:
            out[key] = text if text is not None else STR_KWARGS.get(key, "x")
    return out


def _path(route: str, kwargs: dict) -> str:
    from urllib.parse import quote

    for key, value in kwargs.items():
        route = route.replace(f"<{key}>", quote(str(value), safe=""))
        for conv in ("int", "str", "slug", "path", "uuid"):
            route = route.replace(f"<{conv}:{key}>", quote(str(value), safe=""))
    return "/" + route


@pytest.fixture
def records(county, users):
    """A few records beyond the registers, so that detail pages have something to show."""
    from bole.cases.desks import desks_ensure
    from bole.cases.services import case_submit
    from bole.evaluation import services as ev_services

    admin = users["admin"]
    ev = ev_services.evaluation_create(actor=admin, name="测评", kind="contest")
    ev_services.criterion_add(evaluation=ev, name="创新", max_score=10, actor=admin)
    ev_services.subject_add(evaluation=ev, label="项目甲", actor=admin)
    ev_services.subject_add(evaluation=ev, person=county["zhangsan"], actor=admin)
    desk = next(d for d in desks_ensure(actor=admin).values() if "enterprise" in d.submitter_kinds)
    case_submit(desk=desk, title="道路破损", description="门口道路破损", submitter_kind="enterprise",
                submitter_enterprise=county["e1"], actor=users["ent"])


def test_no_page_answers_500_to_hostile_parameters(client, users, records):
    client.force_login(users["admin"])
    client.raise_request_exception = False
    failures: list[str] = []
    asked = 0

    def get(path, params=None):
        nonlocal asked
        asked += 1
        shown = f"{path} (every parameter = {next(iter(params.values()))!r})" if params else path
        try:
            resp = client.get(path, params or {})
        except Exception as exc:  # noqa: BLE001 - collected and reported below
            failures.append(f"{shown}: {type(exc).__name__}: {exc}")
            return
        if resp.status_code >= 500:
            failures.append(f"{shown}: {resp.status_code}")

    for route, pattern in _patterns():
        if route.startswith(("api/", "logout/", "i18n/")):
            continue
        name = pattern.name or ""
        path = _path(route, _kwargs(name, pattern))
        for value in HOSTILE:
            get(path, dict.fromkeys(PARAMS, value))
        kinds = {type(c).__name__ for c in pattern.pattern.converters.values()}
        if "IntConverter" in kinds:
            get(_path(route, _kwargs(name, pattern, huge=True)))
        if kinds - {"IntConverter"}:
            for text in ("\x00", "'", "x" * 300):
                get(_path(route, _kwargs(name, pattern, text=text)))
    assert asked > 1000
    print("\n".join(failures))
    assert "\n".join(failures) == ""
