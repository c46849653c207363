"""The staff list's prepared statement says what the policy and the API's filters say, for every role.

The list page reads cases with one hand-written statement (selectors.case_page); the API, exports and every
other read go through the ORM (policy.restrict and filter_cases). Both read the same Visibility and the same
list conditions; this test holds them to the same answer on varied cases.
"""

from __future__ import annotations

import datetime as dt

import pytest

from bole.cases import selectors
from bole.cases.choices import Action
from bole.cases.permissions import case_visibility
from bole.cases.services import case_transition

PARAMS = [
    {}, {"state": "open"}, {"state": "in_progress"}, {"state": "submitted"}, {"colour": "red"},
    {"colour": "yellow"}, {"colour": "green"}, {"state": "open", "colour": "red"}, {"desk": "DESK"},
    {"desk": "DESK", "category": "CAT"}, {"unit": "U1"}, {"unit": "U2"}, {"month": "2024-03"},
    {"month": "2024-04"}, {"month": "2024-13"}, {"q": "道路"}, {"q": "100%_\\"}, {"q": "NUMBER"}, {"q": "01-NUMBER"},
    {"sort": "deadline"}, {"sort": "-deadline", "colour": "green"},
]


@pytest.fixture
def varied(new_case, users, county, clock, catchall):
    """Submitted, assigned (to two towns, with a co-unit task), running late, resolved and closed cases."""
    admin, made = users["admin"], []
    for i in range(14):
        clock.advance(days=3)
        case = new_case(title=f"道路问题{i}" if i % 3 else f"100%_\\ 其他{i}",
                        category_name=["职能交叉不好管", "政策变动没人管"][i % 2])
        if i % 7 == 0:
            made.append(case)
            continue
        case = case_transition(case=case, action=Action.ACCEPT, actor=admin)
        co = [{"unit": county["u2v" if i % 2 else "u1v"], "deadline_days": 2}] if i % 5 == 0 else []
        case = case_transition(case=case, action=Action.ASSIGN, actor=admin,
                               lead_unit=county["u1" if i % 2 else "u2"], co_units=co)
        if i % 4 == 1:
            case = case_transition(case=case, action=Action.START, actor=users["town1" if i % 2 else "town2"])
        made.append(case)
    clock.advance(days=10)  # some deadlines pass, some come near
    catchall.handlers.add(users["cadre"])  # a desk handler sees the desk's cases whatever their unit
    return made


@pytest.mark.parametrize("who", ["admin", "town1", "town2", "unit1v", "cadre", "ent"])
def test_list_statement_matches_the_policy_and_filters(varied, users, county, catchall, who):
    from bole.cases.calendar import local_today

    user = users[who]
    cat = catchall.categories.get(name="职能交叉不好管")
    today = local_today()
    seen_any = False
    for raw in PARAMS:
        params = {k: v.replace("DESK", str(catchall.pk)).replace("CAT", str(cat.pk))
                  .replace("U1", str(county["u1"].pk)).replace("U2", str(county["u2"].pk))
                  .replace("NUMBER", str(varied[4].pk)) for k, v in raw.items()}
        order = params.pop("sort", "-id")
        want = list(selectors.filter_cases(selectors.case_list(user=user), params, today=today)
                    .order_by(*{"-id": ["-id"], "deadline": ["deadline", "id"],
                                "-deadline": ["-deadline", "-id"]}[order]).values_list("id", flat=True))
        got = [r["id"] for r in selectors.case_page(user=user, params=params, start=0, limit=1000, order=order,
                                                    today=today)]
        assert got == want, (who, raw)
        page = selectors.case_page(user=user, params=params, start=2, limit=3, order=order, today=today)
        assert [r["id"] for r in page] == want[2:5], (who, raw)
        seen_any |= bool(want)
    assert seen_any


def test_visibility_sql_and_q_agree_for_each_scope(varied, users):
    from bole.cases.models import Case

    for user in users.values():
        visible = case_visibility(user)
        by_q = set(Case.objects.filter(visible.q()).values_list("id", flat=True)) if not visible.everything \
            else set(Case.objects.values_list("id", flat=True))
        by_sql = set(Case.objects.extra(where=[visible.sql("cases_case")]).values_list("id", flat=True))  # noqa: S610
        assert by_q == by_sql, user.username


def test_only_ids_dates_and_choice_values_are_written_into_the_statement():
    from django.db import connection

    with pytest.raises(ValueError):
        selectors._literal("x'; DROP TABLE cases_case; --", connection)
    with pytest.raises(TypeError):
        selectors._literal(1.5, connection)
    assert selectors._literal(dt.date(2024, 3, 4), connection) == "'2024-03-04'"
    assert selectors._literal(12, connection) == "12"
