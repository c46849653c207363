"""Scheme editing, round creation, grade decisions and the publicity gate, through the services."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from bole.assessment import selectors, services
from bole.assessment.models import GradeDecision, Indicator, Result, Round, RoundSource, Scheme
from bole.core.models import AuditEvent

SCHEME = {"name": "一般干部年度考核", "target": "cadre", "period_kind": "year", "grouping": "all",
          "excellent_share": Decimal("0.15"), "tie_breakers": ["task"]}


def _rows():
    return [
        {"code": "unit", "name": "单位综合考评", "kind": "unit_score", "weight": Decimal(40), "normalisation": "raw",
         "missing": "group_mean"},
        {"code": "task", "name": "个人任务完成率", "kind": "task_rate", "weight": Decimal(60), "normalisation": "raw"},
    ]


def _audits(model: str, action: str | None = None):
    qs = AuditEvent.objects.filter(object_type=f"assessment.{model}")
    return qs.filter(action=action) if action else qs


def _current_rows(scheme):
    """The scheme's indicators as the page would send them back (with their ids)."""
    return [{"id": i.pk, "code": i.code, "name": i.name, "kind": i.kind, "weight": i.weight,
             "direction": i.direction, "normalisation": i.normalisation, "missing": i.missing, "metric": i.metric,
             "categories": list(i.categories.all())} for i in scheme.indicators.order_by("sort", "id")]


def _to_publicity(rnd, **kw):
    for to in ("collecting", "computed", "publicity"):
        rnd = services.round_transition(round=rnd, to=to, actor=None, **(kw if to == "publicity" else {}))
    return rnd


def test_scheme_save_creates_scheme_with_indicators_audited(users):
    s = services.scheme_save(scheme=None, indicators=_rows(), actor=users["admin"], **SCHEME)
    assert [(i.code, i.weight, i.sort) for i in s.indicators.order_by("sort")] == [("unit", 40, 0), ("task", 60, 1)]
    assert _audits("scheme", "create").filter(object_id=str(s.pk), actor=users["admin"]).exists()
    assert _audits("indicator", "create").count() == 2


@pytest.mark.parametrize(("change", "message"), [
    (lambda d, rows: rows[0].update(weight=Decimal(30)), "合计应为 100，现为 90"),
    (lambda d, rows: d.update(excellent_share=Decimal("0.25")), "不得超过 20%"),
    (lambda d, rows: rows.extend({"code": f"m{i}", "name": f"指标{i}", "kind": "manual", "weight": Decimal(0)}
                                 for i in range(services.MAX_INDICATORS)), "不得超过 18 个"),
    (lambda d, rows: rows.append({"code": "pts", "name": "加减分", "kind": "ledger", "weight": Decimal(0)}),
     "未选择积分类别"),
    (lambda d, rows: d.update(tie_breakers=["rating"]), "“rating”不是本方案的指标代码"),
    (lambda d, rows: rows[1].update(code="unit"), "代码“unit”重复"),
    (lambda d, rows: d.update(basic_threshold=Decimal(50), fail_threshold=Decimal(60)), "不称职分数线不能高于"),
])
def test_a_bad_scheme_saves_nothing(users, change, message):
    data, rows = dict(SCHEME), _rows()
    change(data, rows)
    with pytest.raises(ValidationError, match=message):
        services.scheme_save(scheme=None, indicators=rows, actor=users["admin"], **data)
    assert not Scheme.objects.exists() and not Indicator.objects.exists()
    assert not _audits("scheme").exists() and not _audits("indicator").exists()


def test_scheme_save_changes_adds_and_removes_indicators(users, scheme):
    rows = _current_rows(scheme)
    unit, points = rows[0]["id"], rows[3]["id"]
    rows[0]["weight"] = Decimal(20)  # unit 30 → 20
    rows = [r for r in rows if r["code"] != "points"]  # points (10) removed
    rows.append({"code": "bonus", "name": "创新加分", "kind": "manual", "weight": Decimal(20), "metric": "bonus"})
    services.scheme_save(scheme=scheme, indicators=rows, actor=users["admin"], **{**SCHEME, "name": scheme.name,
                                                                                   "tie_breakers": ["unit"]})
    scheme.refresh_from_db()
    assert scheme.target == "cadre" and scheme.tie_breakers == ["unit"]
    assert [(i.code, i.weight) for i in scheme.indicators.order_by("sort")] == [
        ("unit", 20), ("task", 30), ("rating", 30), ("bonus", 20)]
    changed = _audits("indicator", "update").get(object_id=str(unit))
    assert Decimal(changed.changes["weight"][0]) == 30 and Decimal(changed.changes["weight"][1]) == 20
    removed = _audits("indicator", "update").get(object_id=str(points))
    assert removed.changes["code"] == ["points", None] and removed.changes["categories"][1] == []
    assert _audits("scheme", "update").filter(object_id=str(scheme.pk)).exists()


def test_a_failed_edit_leaves_the_scheme_as_it_was(users, scheme):
    before = _current_rows(scheme)
    rows = _current_rows(scheme)
    rows[0]["weight"] = Decimal(35)
    with pytest.raises(ValidationError, match="现为 105"):
        services.scheme_save(scheme=scheme, indicators=rows, actor=users["admin"], **{**SCHEME, "name": "改名"})
    scheme.refresh_from_db()
    assert scheme.name == "科级领导干部季度考核" and _current_rows(scheme) == before


def test_only_the_county_admin_edits_schemes(users, scheme):
    for name in ("town1", "unit1v", "cadre"):
        with pytest.raises(PermissionDenied):
            services.scheme_save(scheme=None, indicators=_rows(), actor=users[name], **SCHEME)
        with pytest.raises(PermissionDenied):
            services.scheme_copy(scheme=scheme, name="副本", actor=users[name])
        with pytest.raises(PermissionDenied):
            services.round_create(scheme=scheme, period="2024Q3", actor=users[name])
    assert Scheme.objects.count() == 1 and not Round.objects.exists()


def test_scheme_locks_once_a_round_goes_public(users, inputs, scheme):
    rnd = _to_publicity(services.round_create(scheme=scheme, period="2024Q1", actor=None))
    assert selectors.scheme_locked(scheme)
    shown = (dict(rnd.parameters), list(Result.objects.filter(round=rnd).order_by("person_id").values()))
    with pytest.raises(ValidationError, match="锁定"):
        services.scheme_save(scheme=scheme, indicators=_current_rows(scheme), actor=users["admin"],
                             **{**SCHEME, "name": "改名"})
    with pytest.raises(ValidationError, match="锁定"):
        services.scheme_update(scheme=scheme, actor=users["admin"], excellent_share=Decimal("0.10"))
    with pytest.raises(ValidationError, match="锁定"):
        services.indicator_add(scheme=scheme, actor=users["admin"], code="x", name="新指标", kind="manual", weight=1)
    with pytest.raises(ValidationError, match="锁定"):
        services.indicator_remove(indicator=scheme.indicators.get(code="points"), actor=users["admin"])
    services.scheme_update(scheme=scheme, actor=users["admin"], is_active=False)  # retiring changes no round
    rnd.refresh_from_db()
    assert not selectors.inputs_changed(rnd)
    assert (rnd.parameters, list(Result.objects.filter(round=rnd).order_by("person_id").values())) == shown


def test_a_withdrawn_publicity_unlocks_and_the_round_must_be_recomputed(users, inputs, scheme):
    rnd = _to_publicity(services.round_create(scheme=scheme, period="2024Q1", actor=None))
    rnd = services.round_transition(round=rnd, to="computed", actor=None, note="调整权重")
    assert not selectors.scheme_locked(scheme)
    rows = _current_rows(scheme)
    rows[0]["weight"], rows[1]["weight"] = Decimal(40), Decimal(20)
    services.scheme_save(scheme=scheme, indicators=rows, actor=users["admin"],
                         **{**SCHEME, "name": scheme.name, "target": "section_leader", "period_kind": "quarter"})
    assert selectors.inputs_changed(rnd)  # the round page asks for a recompute; publishing is refused until then


def test_copy_makes_an_editable_new_version(users, inputs, scheme):
    _to_publicity(services.round_create(scheme=scheme, period="2024Q1", actor=None))
    copy = services.scheme_copy(scheme=scheme, name="科级领导干部季度考核（2025版）", actor=users["admin"])
    assert not selectors.scheme_locked(copy)
    assert _current_rows(copy) != _current_rows(scheme)  # new ids …
    strip = [{k: v for k, v in r.items() if k != "id"} for r in _current_rows(copy)]
    assert strip == [{k: v for k, v in r.items() if k != "id"} for r in _current_rows(scheme)]  # … same content
    assert (copy.tie_breakers, copy.excellent_share, copy.target) == (scheme.tie_breakers, scheme.excellent_share,
                                                                       scheme.target)
    with pytest.raises(ValidationError):  # names stay unique
        services.scheme_copy(scheme=scheme, name=copy.name, actor=users["admin"])


def test_a_new_version_reports_the_indicators_it_cut(users, scheme):
    """The figures count the indicators of the schemes in force and of the versions they replaced (18 → 7 in the
    demo): a copy with fewer indicators, the old one retired."""
    from bole.core import figures

    admin = users["admin"]
    count = scheme.indicators.count()
    copy = services.scheme_copy(scheme=scheme, name="科级领导干部季度考核（精简版）", actor=admin)
    assert copy.replaces == scheme
    services.indicator_remove(indicator=copy.indicators.order_by("sort").last(), actor=admin)
    services.scheme_update(scheme=scheme, is_active=False, actor=admin)
    got = figures.values(user=admin, period="", only={"assessment"})
    assert (got["schemes"], got["indicators"], got["indicators_before"]) == (1, count - 1, count)


def test_round_create_checks_the_period(users, scheme):
    admin = users["admin"]
    for bad, message in (("2024Q5", "2024Q1"), ("2024", "不一致"), ("", "2024Q1")):
        with pytest.raises(ValidationError, match=message):
            services.round_create(scheme=scheme, period=bad, actor=admin)
    rnd = services.round_create(scheme=scheme, period="2024q3", actor=admin)
    assert rnd.period == "2024Q3" and rnd.title == "2024年第三季度科级领导干部季度考核"
    with pytest.raises(ValidationError):
        services.round_create(scheme=scheme, period="2024Q3", actor=admin)
    assert Round.objects.count() == 1


def test_grade_decision_takes_effect_at_the_next_computation(users, computed, county, leaders):
    me = county["zhangsan"]
    assert Result.objects.get(round=computed, person=me).grade != "不称职"
    d = services.grade_decide(round=computed, person=me, grade="不称职", reason="受到党内严重警告处分",
                              actor=users["admin"])
    assert d.decided_by == users["admin"]
    assert AuditEvent.objects.filter(object_type="assessment.round", object_id=str(computed.pk),
                                     changes__grade_decision__1__person=me.pk).exists()
    assert Result.objects.get(round=computed, person=me).grade != "不称职"  # not yet: results are as computed
    assert selectors.inputs_changed(computed)
    rnd = services.round_transition(round=computed, to="computed", actor=users["admin"])
    assert Result.objects.get(round=rnd, person=me).grade == "不称职"
    services.grade_decision_remove(decision=d, actor=users["admin"])
    assert not GradeDecision.objects.exists()
    rnd = services.round_transition(round=rnd, to="computed", actor=users["admin"])
    assert Result.objects.get(round=rnd, person=me).grade != "不称职"


def test_grade_decision_rules(users, computed, county):
    admin = users["admin"]
    with pytest.raises(ValidationError, match="不是本方案的考核对象"):  # 李四 is no section-level leader
        services.grade_decide(round=computed, person=county["lisi"], grade="基本称职", reason="x", actor=admin)
    with pytest.raises(ValidationError, match="依据"):
        services.grade_decide(round=computed, person=county["zhangsan"], grade="基本称职", reason=" ", actor=admin)
    with pytest.raises(ValidationError, match="未知等次"):
        services.grade_decide(round=computed, person=county["zhangsan"], grade="良好", reason="x", actor=admin)
    for name in ("town1", "cadre"):
        with pytest.raises(PermissionDenied):
            services.grade_decide(round=computed, person=county["zhangsan"], grade="基本称职", reason="x",
                                  actor=users[name])
    assert not GradeDecision.objects.exists()


def test_publishing_waits_for_the_end_of_publicity(users, computed):
    admin = users["admin"]
    start = dt.date(2024, 4, 15)
    with pytest.raises(ValidationError, match="早于"):
        services.round_transition(round=computed, to="publicity", actor=admin, publicity_until=dt.date(2024, 4, 14),
                                  on=start)
    rnd = services.round_transition(round=computed, to="publicity", actor=admin,
                                    publicity_until=dt.date(2024, 4, 20), on=start)
    for day in (start, dt.date(2024, 4, 20)):
        with pytest.raises(ValidationError, match="2024-04-20.*2024-04-21"):
            services.round_transition(round=rnd, to="published", actor=admin, on=day)
    assert Round.objects.get(pk=rnd.pk).status == "publicity"
    rnd = services.round_transition(round=rnd, to="published", actor=admin, on=dt.date(2024, 4, 21))
    assert rnd.status == "published" and rnd.doc_number


def test_publishing_today_is_refused_right_after_publicity_starts(users, computed):
    rnd = services.round_transition(round=computed, to="publicity", actor=users["admin"])
    assert rnd.publicity_until > dt.date.today()
    with pytest.raises(ValidationError, match="起方可发布"):
        services.round_transition(round=rnd, to="published", actor=users["admin"])


def test_linking_an_evaluation_from_a_new_round(users, scheme):
    from bole.evaluation.services import evaluation_create

    ev = evaluation_create(actor=users["admin"], name="2024年第三季度民主测评", kind="ballot")
    rnd = services.round_create(scheme=scheme, period="2024Q3", actor=users["admin"])
    src = services.round_link_evaluation(round=rnd, indicator=scheme.indicators.get(code="rating"), evaluation=ev,
                                         actor=users["admin"])
    assert RoundSource.objects.get(round=rnd).evaluation == ev == src.evaluation
