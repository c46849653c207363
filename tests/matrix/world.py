"""The county the permission matrix runs in: three sides with one record of every kind each, built through the
services.

- side A: 欧阳镇 (a town region and its community, the town's and the community's units) — the home of every
  local and personal role;
- side B: 司马镇, the same shape — another town nobody but the county reaches;
- side D: 县教育局, a county department (its unit sits in the county's region) and its school — the home of the
  department admin.

Every record carries its side's marker in its name (欧阳 / 司马 / 诸葛, or 上官 for an A-side bystander no personal
role is tied to), so a page that shows another side's rows is caught by searching the body for the marker.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

PW = "pass-1234-word"
SIDES = ("A", "B", "D")
MARKERS = {"A": "欧阳", "B": "司马", "D": "诸葛", "X": "上官"}  # X: A-side records of a bystander


@dataclass
class World:
    """Ids per side (`ids[key][side]`), logins per role, the markers of each side."""

    ids: dict[str, dict[str, object]] = field(default_factory=dict)
    users: dict[str, object] = field(default_factory=dict)

    def put(self, key: str, **by_side) -> None:
        self.ids.setdefault(key, {}).update(by_side)

    def get(self, key: str, side: str):
        return self.ids.get(key, {}).get(side)


def build() -> World:  # noqa: PLR0915 - one straight build, read top to bottom
    from bole.assessment import services as assessment
    from bole.awards import services as awards
    from bole.cases import services as cases
    from bole.cases.desks import CATCHALL, desks_ensure
    from bole.challenges import services as challenges
    from bole.community import services as community
    from bole.evaluation import services as evaluation
    from bole.evaluation.models import BallotToken
    from bole.growth import services as growth
    from bole.ledger import services as ledger
    from bole.org import services as org
    from bole.org.choices import RegionKind, UnitKind
    from bole.org.demo import make_credit_code, make_id_number
    from bole.projects import services as projects

    w = World()
    rng = random.Random(2024)
    today = timezone.localdate()
    admin = org.account_create(username="m-county", role="admin", password=PW, actor=None)

    # --- registers ---------------------------------------------------------------------------------------
    county = org.region_create(actor=None, code="330521", name="德清县", kind=RegionKind.COUNTY)
    town = {
        "A": org.region_create(
            actor=None, code="330521001", name="欧阳镇", kind=RegionKind.TOWN, parent=county
        ),
        "B": org.region_create(
            actor=None, code="330521002", name="司马镇", kind=RegionKind.TOWN, parent=county
        ),
    }
    comm = {
        s: org.region_create(
            actor=None,
            code=f"{town[s].code}001",
            name=f"{MARKERS[s]}社区",
            kind=RegionKind.COMMUNITY,
            parent=town[s],
        )
        for s in "AB"
    }
    w.put("region", A=town["A"].pk, B=town["B"].pk, D=county.pk)
    w.put("region_code", A=town["A"].code, B=town["B"].code, D=county.code)
    org_dept = org.unit_create(actor=None, name="县委组织部", kind=UnitKind.PARTY_COMMITTEE, region=county)
    dept = org.unit_create(actor=None, name="县教育局", kind=UnitKind.DEPARTMENT, region=county)
    school = org.unit_create(
        actor=None, name="诸葛实验小学", kind=UnitKind.INSTITUTION, region=county, parent=dept
    )
    town_unit = {
        s: org.unit_create(actor=None, name=f"{MARKERS[s]}镇党委", kind=UnitKind.TOWN, region=town[s])
        for s in "AB"
    }
    comm_unit = {
        s: org.unit_create(
            actor=None,
            name=f"{MARKERS[s]}社区居委会",
            kind=UnitKind.VILLAGE,
            region=comm[s],
            parent=town_unit[s],
        )
        for s in "AB"
    }
    w.put("unit", A=comm_unit["A"].pk, B=comm_unit["B"].pk, D=school.pk)
    w.put("unit_obj", A=town_unit["A"], B=town_unit["B"], D=dept)
    w.put("org_dept", A=org_dept.pk)

    def person(name, unit, **flags):
        idn = make_id_number(
            rng, "330521", dt.date(1986, rng.randint(1, 12), rng.randint(1, 28)), rng.random() < 0.5
        )
        return org.person_create(actor=None, name=name, id_number=idn, unit=unit, is_cadre=True, **flags)

    p = {
        # A: one person per personal role, and a bystander (上官) no role is tied to
        "cadre": person("欧阳一", town_unit["A"], is_section_leader=True, rank="section_chief"),
        "young": person("欧阳二", comm_unit["A"], is_young_cadre=True),
        "judge": person("欧阳三", town_unit["A"]),
        "resident": person("欧阳四", comm_unit["A"]),
        "party": person("欧阳五", town_unit["A"], is_party_member=True, political_status="cpc"),
        "X": person(
            "上官一", town_unit["A"], is_section_leader=True, rank="section_chief", is_young_cadre=True
        ),
        "B": person("司马一", town_unit["B"], is_section_leader=True, rank="section_chief"),
        "B2": person(
            "司马二", comm_unit["B"], is_young_cadre=True, is_party_member=True, political_status="cpc"
        ),
        "D": person("诸葛一", dept, is_section_leader=True, rank="section_chief"),
        "D2": person("诸葛二", school, is_young_cadre=True, is_party_member=True, political_status="cpc"),
        "org": person("县组织员", org_dept, is_section_leader=True, rank="section_chief"),
    }
    w.put("person", A=p["cadre"].pk, B=p["B"].pk, D=p["D"].pk)
    w.put("party_member", A=p["party"].pk, B=p["B2"].pk, D=p["D2"].pk)
    ent = {
        s: org.enterprise_create(
            actor=None,
            name=f"{MARKERS[s]}机械有限公司",
            industry="C",
            region=r,
            credit_code=make_credit_code(rng, "330521"),
        )
        for s, r in (("A", comm["A"]), ("B", town["B"]))
    }
    w.put("enterprise", A=ent["A"].pk, B=ent["B"].pk)
    # A county-level enterprise (in no town) files the department's case, so that case names no side.
    county_ent = org.enterprise_create(
        actor=None,
        name="县城投集团有限公司",
        industry="C",
        region=county,
        credit_code=make_credit_code(rng, "330521"),
    )

    def account(name, role, scope=""):
        return org.account_create(username=f"m-{name}", role=role, scope=scope, password=PW, actor=None)

    w.users = {
        "county": admin,
        "town": account("town", "unit_admin", town["A"].code),
        "townunit": account("townunit", "unit_admin", town_unit["A"].name),
        "dept": account("dept", "unit_admin", dept.name),
        "cadre": account("cadre", "cadre", p["cadre"].id_number),
        "young": account("young", "cadre", p["young"].id_number),
        "judge": account("judge", "judge", p["judge"].id_number),
        "enterprise": account("enterprise", "enterprise", ent["A"].credit_code),
        "resident": account("resident", "resident", p["resident"].id_number),
        "party": account("party", "cadre", p["party"].id_number),
        "anon": None,
    }
    judge_b = account("judge-b", "judge", p["B"].id_number)

    # --- evaluation: a ballot per side (tokens issued, open), a contest per town with a judge seat ----------
    for s, unit, subjects in (
        ("A", town_unit["A"], [p["cadre"], p["X"]]),
        ("B", town_unit["B"], [p["B"]]),
        ("D", dept, [p["D"]]),
    ):
        ev = evaluation.evaluation_create(actor=admin, name=f"{MARKERS[s]}民主测评", kind="ballot", unit=unit)
        evaluation.criterion_add(evaluation=ev, name="德", max_score=10, actor=admin)
        g = evaluation.rater_group_add(evaluation=ev, code="peer", weight=1, expected_count=3, actor=admin)
        subs = [evaluation.subject_add(evaluation=ev, person=x, actor=admin) for x in subjects]
        evaluation.tokens_issue(evaluation=ev, group=g, count=3, actor=admin)
        evaluation.evaluation_transition(evaluation=ev, to="open", actor=admin)
        w.put("ballot_eval", **{s: ev.pk})
        w.put("ballot_subject", **{s: subs[0].pk})
        w.put(
            "token",
            **{
                s: BallotToken.objects.filter(evaluation=ev).order_by("id").values_list("token", flat=True)[0]
            },
        )
    for s, unit, subject, judge in (
        ("A", town_unit["A"], p["young"], w.users["judge"]),
        ("B", town_unit["B"], p["B2"], judge_b),
    ):
        ev = evaluation.evaluation_create(actor=admin, name=f"{MARKERS[s]}擂台赛", kind="contest", unit=unit)
        crit = evaluation.criterion_add(evaluation=ev, name="现场表现", max_score=10, actor=admin)
        sub = evaluation.subject_add(evaluation=ev, person=subject, actor=admin)
        evaluation.judge_add(evaluation=ev, user=judge, actor=admin)
        evaluation.evaluation_transition(evaluation=ev, to="open", actor=admin)
        w.put("contest", **{s: ev.pk})
        w.put("contest_subject", **{s: sub.pk})
        w.put("criterion", **{s: crit.pk})

    for s, unit, who in (
        ("A", town_unit["A"], p["cadre"]),
        ("B", town_unit["B"], p["B"]),
        ("D", dept, p["D"]),
    ):
        ev = evaluation.evaluation_create(actor=admin, name=f"{MARKERS[s]}年度测评", kind="ballot", unit=unit)
        crit = evaluation.criterion_add(evaluation=ev, name="能", max_score=10, actor=admin)
        g = evaluation.rater_group_add(evaluation=ev, code="peer", weight=1, expected_count=2, actor=admin)
        sub = evaluation.subject_add(evaluation=ev, person=who, actor=admin)
        evaluation.tokens_issue(evaluation=ev, group=g, count=2, actor=admin)
        evaluation.evaluation_transition(evaluation=ev, to="open", actor=admin)
        for token in BallotToken.objects.filter(evaluation=ev).values_list("token", flat=True):
            evaluation.ballot_submit(token=token, answers={(sub.pk, crit.pk): 8.0})
        for to in ("closed", "published"):
            evaluation.evaluation_transition(evaluation=ev, to=to, actor=admin)
        w.put("result_eval", **{s: ev.pk})

    # --- ledger: a pending entry per side and one of the A-side bystander ------------------------------------
    cat = ledger.point_category_create(
        actor=admin, code="lecture", name="大讲堂授课", cap=Decimal("5"), auto_approve=False
    )
    award_cat = ledger.point_category_create(
        actor=admin, code="award", name="表彰奖励", cap=Decimal("10"), auto_approve=True
    )
    for s, who in (("A", p["cadre"]), ("B", p["B"]), ("D", p["D"]), ("X", p["X"])):
        e = ledger.points_post(
            person=who, period="2024Q1", category=cat, points=1, reason=f"{MARKERS[s]}授课", actor=admin
        )
        w.put("entry", **{s: e.pk})

    # --- cases: an enterprise's problem per town led by the town, a department's case with its school --------
    desks = desks_ensure(actor=admin)
    catchall = desks[CATCHALL]
    category = catchall.categories.order_by("id").first()
    submitters = {"A": ent["A"], "B": ent["B"], "D": county_ent}
    leads = {"A": town_unit["A"], "B": town_unit["B"], "D": dept}
    co = {"A": comm_unit["A"], "B": comm_unit["B"], "D": school}
    owners = {"A": p["cadre"], "B": p["B"], "D": p["D"]}
    for s in SIDES:
        ent_user = w.users["enterprise"] if s == "A" else admin
        case = cases.case_submit(
            desk=catchall,
            category=category,
            title=f"{MARKERS[s]}厂区道路破损",
            description=f"{MARKERS[s]}反映道路破损无人维修",
            submitter_kind="enterprise",
            submitter_enterprise=submitters[s],
            actor=ent_user,
            attachments=[
                SimpleUploadedFile(f"{s}.png", b"\x89PNG\r\n\x1a\n" + b"0" * 64, content_type="image/png")
            ],
        )
        case = cases.case_transition(case=case, action="accept", actor=admin)
        case = cases.case_transition(
            case=case,
            action="assign",
            actor=admin,
            lead_unit=leads[s],
            owner=owners[s],
            co_units=[{"unit": co[s], "description": "配合核实", "deadline_days": 3}],
        )
        w.put("case", **{s: case.pk})
        w.put("case_token", **{s: case.follow_token})
        w.put("task", **{s: case.tasks.get().pk})
        w.put("attachment", **{s: case.attachments.first().pk})
    entry = cases.calendar_entry_add(
        date=dt.date(today.year + 1, 1, 2), kind="holiday", name="元旦调休", actor=admin
    )
    w.put("calendar_entry", A=entry.pk)
    w.put("desk", A=catchall.pk)
    w.put("desk_code", A=catchall.code)

    # --- community: a branch per town's community, a stairwell adopted by a party member, a committee -------
    for s, member in (("A", p["party"]), ("B", p["B2"])):
        branch = community.branch_create(
            name=f"{MARKERS[s]}花园家园支部", community=comm[s], unit=comm_unit[s], actor=admin
        )
        sw = community.stairwell_create(
            branch=branch,
            compound=f"{MARKERS[s]}花园",
            building="1",
            entrance="1",
            households=12,
            actor=admin,
        )
        community.stairwell_create(
            branch=branch,
            compound=f"{MARKERS[s]}花园",
            building="2",
            entrance="1",
            households=12,
            actor=admin,
        )
        community.adoption_create(stairwell=sw, person=member, actor=admin)
        committee = community.committee_create(
            branch=branch,
            name=f"{MARKERS[s]}共治委员会",
            actor=admin,
            members=[{"kind": "owners", "name": "业委会主任"}],
        )
        w.put("branch", **{s: branch.pk})
        w.put("stairwell", **{s: sw.pk})
        w.put("stairwell_token", **{s: sw.qr_token})
        w.put("committee", **{s: committee.pk})

    # --- challenges: one per side, awarded to its cadre, with an acceptance panel ------------------------------
    holders = {"A": (p["cadre"], w.users["cadre"]), "B": (p["B"], admin), "D": (p["D"], admin)}
    publishers = {"A": town_unit["A"], "B": town_unit["B"], "D": dept}
    for s in SIDES:
        ch = challenges.challenge_create(
            actor=admin,
            publisher_unit=publishers[s],
            title=f"{MARKERS[s]}招引亿元项目",
            goal="签约一个项目",
            criteria="签约",
            apply_until=today + dt.timedelta(days=10),
            deadline=today + dt.timedelta(days=120),
            incentive_points=5,
            milestones=[{"title": f"{MARKERS[s]}签约", "due_date": today + dt.timedelta(days=40)}],
        )
        challenges.challenge_transition(challenge=ch, to="published", actor=admin)
        holder, holder_user = holders[s]
        app = challenges.challenge_apply(challenge=ch, person=holder, plan="三步走", actor=holder_user)
        challenges.application_transition(application=app, to="shortlisted", actor=admin)
        challenges.challenge_award(challenge=ch, applications=[app], actor=admin)
        seat = challenges.panel_member_add(challenge=ch, person=p["org"], is_chair=True, actor=admin)
        w.put("challenge", **{s: ch.pk})
        w.put("application", **{s: app.pk})
        w.put("ch_milestone", **{s: ch.milestones.get().pk})
        w.put("panel_seat", **{s: seat.pk})
    open_ch = challenges.challenge_create(
        actor=admin,
        publisher_unit=town_unit["B"],
        title="司马待揭榜",
        goal="签约",
        criteria="签约",
        apply_until=today + dt.timedelta(days=10),
        deadline=today + dt.timedelta(days=120),
        milestones=[{"title": "签约", "due_date": today + dt.timedelta(days=40)}],
    )
    challenges.challenge_transition(challenge=open_ch, to="published", actor=admin)
    w.put("open_challenge", B=open_ch.pk)

    # --- pairing: the 技术需求 desk; per side an expert (A's on the register: the resident login), a classified
    # need of the side's enterprise with its expert proposed, and a posted need not yet classified; one run.
    from bole.pairing import services as pairing

    need_desk = pairing.need_desk_ensure(actor=admin)
    w.put("pairing_run", D=pairing.run_compute(
        run=pairing.run_create(region=county, actor=admin, params={}), actor=admin).pk)
    for s in "AB":
        expert = pairing.expert_create(
            actor=admin, region=county, code=f"M-{s}", name=f"{MARKERS[s]}教授", institution="浙江工业大学",
            fields="地理信息", keywords="遥感影像、三维建模", works="遥感影像三维建模研究",
            person=p["resident"] if s == "A" else None)
        by = w.users["enterprise"] if s == "A" else admin
        case = cases.case_submit(desk=need_desk, title=f"{MARKERS[s]}遥感影像识别", description="遥感影像识别精度不足",
                                 submitter_kind="enterprise", submitter_enterprise=ent[s], actor=by)
        need = pairing.need_classify(case=case, field="地理信息", k=2, actor=admin)
        pair = pairing.pairing_add(need=need, expert=expert, actor=admin)
        posted = cases.case_submit(desk=need_desk, title=f"{MARKERS[s]}印染色牢度", description="染色工艺色牢度不足",
                                   submitter_kind="enterprise", submitter_enterprise=ent[s], actor=by)
        w.put("pairing_expert", **{s: expert.pk})
        w.put("pairing_need", **{s: need.pk})
        w.put("pairing", **{s: pair.pk})
        w.put("tech_case", **{s: posted.pk})

    # --- projects: one per side, led by the side's cadre ----------------------------------------------------
    for s, region, team in (("A", town["A"], [p["judge"]]), ("B", town["B"], []), ("D", county, [])):
        proj = projects.project_create(
            name=f"{MARKERS[s]}智能装备产业园",
            kind="industry",
            investment="2.5",
            region=region,
            unit=publishers[s],
            leads=[owners[s]],
            team=team,
            actor=admin,
        )
        projects.project_transition(
            project=proj, to="signed", signed_on=today - dt.timedelta(days=7), actor=admin
        )
        w.put("project", **{s: proj.pk})
        w.put("project_milestone", **{s: proj.milestones.order_by("sort").first().pk})

    # --- awards: a past round in publicity and the current one taking nominations, one nomination per side ----
    past = awards.award_round_create(period="2024Q4", actor=admin, star_quota=3)
    awards.award_round_transition(round=past, to="nominating", actor=admin, today=dt.date(2024, 12, 20))
    past_noms = [
        awards.nomination_create(
            round=past,
            kind="star",
            unit=publishers[s],
            person=owners[s],
            actor=admin,
            deeds=f"{MARKERS[s]}防汛抗台冲锋在前，转移群众三百余人。",
        )
        for s in SIDES
    ]
    awards.award_round_transition(round=past, to="reviewing", actor=admin, today=dt.date(2024, 12, 31))
    past.refresh_from_db()
    panel_judge = account("panel", "judge", p["org"].id_number)
    seat = evaluation.judge_add(evaluation=past.evaluation, user=panel_judge, actor=admin)
    evaluation.evaluation_transition(evaluation=past.evaluation, to="open", actor=admin)
    for k, sub in enumerate(past.evaluation.subjects.order_by("id")):
        evaluation.judge_scores_save(
            seat=seat,
            subject=sub,
            actor=panel_judge,
            scores={c.pk: round(c.max_score * (0.9 - 0.1 * k), 1) for c in past.evaluation.criteria.all()},
        )
    evaluation.judge_submit(seat=seat, actor=panel_judge)
    awards.award_round_transition(round=past, to="publicity", actor=admin, today=dt.date(2025, 1, 10))
    for s, nom in zip(SIDES, past_noms, strict=True):
        nom.refresh_from_db()
        obj = awards.objection_lodge(
            nomination=nom, reason=f"{MARKERS[s]}事迹系集体完成", actor=admin, today=dt.date(2025, 1, 10)
        )
        w.put("award_objection", **{s: obj.pk})
    w.put("past_round", A=past.pk, B=past.pk, D=past.pk)
    w.put("past_nomination", **{s: n.pk for s, n in zip(SIDES, past_noms, strict=True)})
    rnd = awards.award_round_create(
        period=f"{today.year}Q{(today.month - 1) // 3 + 1}", actor=admin, star_quota=3
    )
    awards.award_round_transition(round=rnd, to="nominating", actor=admin)
    w.put("award_round", A=rnd.pk, B=rnd.pk, D=rnd.pk)
    for s in SIDES:
        nom = awards.nomination_create(
            round=rnd,
            kind="star",
            unit=publishers[s],
            person=owners[s],
            actor=admin,
            deeds=f"{MARKERS[s]}牵头破解项目用地难题，推动项目提前开工投产。",
        )
        w.put("nomination", **{s: nom.pk})

    # --- growth: a record per young cadre ------------------------------------------------------------------
    growth.checklist_seed_default(actor=admin)
    for s, who, mentor in (
        ("A", p["young"], p["cadre"]),
        ("X", p["X"], None),
        ("B", p["B2"], None),
        ("D", p["D2"], None),
    ):
        rec = growth.growth_record_create(
            person=who, cohort=2024, started_on=dt.date(2024, 8, 1), mentor=mentor, actor=admin
        )
        growth.posting_add(record=rec, place=f"{MARKERS[s]}村", starts_on=dt.date(2024, 9, 1), actor=admin)
        w.put("growth_record", **{s: rec.pk})
        first = rec.entries.order_by("id").first()
        growth.growth_entry_submit(
            entry=first,
            evidence=f"{MARKERS[s]}调研报告",
            actor=admin,
            evidence_file=SimpleUploadedFile(f"{s}.pdf", b"%PDF-1.4 test", content_type="application/pdf"),
        )
        w.put("growth_entry", **{s: first.pk})
        w.put("growth_open_entry", **{s: rec.entries.order_by("id")[1].pk})

    # --- assessment: a computed round of the section leaders, in publicity, with objections and decisions ----
    scheme = assessment.scheme_create(
        actor=admin,
        name="科级领导干部季度考核",
        target="section_leader",
        period_kind="quarter",
        indicators=[
            {
                "code": "unit",
                "name": "单位综合考评",
                "kind": "unit_score",
                "weight": 40,
                "normalisation": "raw",
                "missing": "group_mean",
            },
            {
                "code": "task",
                "name": "个人任务完成率",
                "kind": "task_rate",
                "weight": 30,
                "normalisation": "raw",
            },
            {
                "code": "rating",
                "name": "干部群众多维评议",
                "kind": "manual",
                "weight": 20,
                "normalisation": "raw",
                "metric": "rating",
            },
            {
                "code": "points",
                "name": "加减分",
                "kind": "ledger",
                "weight": 10,
                "normalisation": "minmax",
                "categories": [award_cat],
            },
        ],
    )
    leaders = {"A": p["cadre"], "X": p["X"], "B": p["B"], "D": p["D"], "O": p["org"]}
    for period in ("2024Q1", "2024Q2"):
        for unit in (town_unit["A"], town_unit["B"], dept, org_dept):
            assessment.unit_score_set(unit=unit, period=period, score=85, actor=admin)
        for i, who in enumerate(leaders.values()):
            assessment.task_tally_set(
                person=who, period=period, assigned=10, completed=8 + i % 3, actor=admin
            )
            assessment.manual_value_set(metric="rating", person=who, period=period, value=80 + i, actor=admin)
    w.put("scheme", A=scheme.pk)
    r1 = assessment.round_create(scheme=scheme, period="2024Q1", actor=admin)
    for to in ("collecting", "computed"):
        r1 = assessment.round_transition(round=r1, to=to, actor=admin)
    r1 = assessment.round_transition(round=r1, to="publicity", actor=admin)
    w.put("assessment_round", A=r1.pk, B=r1.pk, D=r1.pk)
    for s, (who, by) in {
        "A": (p["cadre"], w.users["cadre"]),
        "B": (p["B"], None),
        "D": (p["D"], None),
    }.items():
        obj = assessment.objection_lodge(
            round=r1, person=who, reason=f"{MARKERS[s]}对得分有异议", actor=by or admin
        )
        w.put("assessment_objection", **{s: obj.pk})
        assessment.objection_answer(
            objection=obj, outcome="dismissed", answer="经核实，得分无误。", actor=admin
        )
    r1 = assessment.round_transition(round=r1, to="published", actor=admin, on=assessment.publish_from(r1))
    r2 = assessment.round_create(scheme=scheme, period="2024Q2", actor=admin)
    for to in ("collecting", "computed"):
        r2 = assessment.round_transition(round=r2, to=to, actor=admin)
    w.put("editable_round", A=r2.pk, B=r2.pk, D=r2.pk)
    for s, who in (("A", p["cadre"]), ("B", p["B"]), ("D", p["D"])):
        d = assessment.grade_decide(
            round=r2, person=who, grade="基本称职", reason=f"{MARKERS[s]}受到诫勉", actor=admin
        )
        w.put("grade_decision", **{s: d.pk})
    from bole.core.notices import Notice, notify

    for s, user in (("A", w.users["cadre"]), ("B", judge_b)):
        notify(
            [
                Notice(
                    recipient_id=user.pk,
                    object_type="case",
                    object_id=str(w.get("case", s)),
                    event="assigned",
                    text=f"{MARKERS[s]}案件已交办",
                )
            ]
        )
        w.put("notice", **{s: user.notifications.get(event="assigned", object_type="case").pk})
    from bole.core.models import Job, JobFile

    for s, user in (("A", w.users["cadre"]), ("B", judge_b)):
        job = Job.objects.create(owner=user, func="bole.core.register_jobs.export_job", title=f"{MARKERS[s]}导出",
                                 status="done", result={"lines": [f"{MARKERS[s]}已导出"]})
        JobFile.objects.create(job=job, role="result", name="r.csv", content_type="text/csv",
                               data=f"{MARKERS[s]}名单".encode())
        w.put("job", **{s: job.pk})
    from bole.core.tokens import api_token_issue

    for s, user in (("A", w.users["cadre"]), ("B", judge_b)):
        w.put("api_token", **{s: api_token_issue(user=user, label=f"{MARKERS[s]}报表同步", actor=user)[0].pk})
    # --- villages: two villages on side A and one on side B, a year's figures, the county's index --------------
    from bole.villages import services as villages
    from bole.villages.defaults import indicators_ensure
    from bole.villages.models import IndexScore

    indicators_ensure(actor=admin)
    vil = {}
    for s, names in (("A", ["欧阳村", "欧阳新村"]), ("B", ["司马村"])):
        for k, name in enumerate(names, start=201):
            vil[name] = org.region_create(actor=None, code=f"{town[s].code}{k:03d}", name=name,
                                          kind=RegionKind.VILLAGE, parent=town[s])
    from openpyxl import Workbook as _Workbook

    book = _Workbook()
    book.active.append(["镇街", "村", "村集体经济经营性收入", "村集体经济总收入", "户籍人口", "资产负债率"])
    for k, (name, region) in enumerate(vil.items()):
        book.active.append([region.parent.name, name, 60 + 30 * k, 150 + 20 * k, 2000 + 100 * k, 30 - k])
    import io as _io

    buf = _io.BytesIO()
    book.save(buf)
    assert not villages.values_import(data=buf.getvalue(), year=2025, actor=admin).issues
    run = villages.index_run(county=county, year=2025, actor=admin, parameters={"samples": 200, "sobol_base": 32})
    w.put("village", A=vil["欧阳村"].pk, B=vil["司马村"].pk)
    w.put("village_score", A=IndexScore.objects.get(run=run, village=vil["欧阳村"]).pk,
          B=IndexScore.objects.get(run=run, village=vil["司马村"]).pk)
    w.put("village_run", A=run.pk)
    w.put("county_region", A=county.pk)
    w.put("village_year", A=2025)
    # 强村局长: the county's organisation department's leader (a name of no side) paired with a village of each
    # town; an operation team in each of those villages.
    for s_, name in (("A", "欧阳村"), ("B", "司马村")):
        pat = villages.patron_pair(village=vil[name], person=p["org"], start=dt.date(2025, 1, 1),
                                   end=dt.date(2027, 12, 31), actor=admin)
        w.put("village_patron", **{s_: pat.pk})
        team = villages.team_create(village=vil[name], company=f"{MARKERS[s_]}乡村运营公司", start=dt.date(2025, 1, 1),
                                    end=dt.date(2027, 12, 31), fee=10, income_target=80, actor=admin)
        w.put("village_team", **{s_: team.pk})
        w.put("village_team_company", **{s_: team.company})
    w.put("patron_person", A=p["org"].pk)
    from bole.villages import events as village_events

    forum = village_events.event_create(county=county, kind="forum", title="强村论坛", on=dt.date(2025, 10, 18),
                                        place="县文化礼堂", agenda=["交流发言"], actor=admin)
    w.put("village_event", A=forum.pk)  # a county's events are read by every staff login
    from bole.villages.models import Indicator as _Indicator

    w.put("village_indicator", A=_Indicator.objects.get(code="projects").pk)  # configuration, county-wide
    w.put("result_person", A=p["cadre"].pk, B=p["B"].pk, D=p["D"].pk, X=p["X"].pk)

    # --- talent: a talent per side (A: the resident on the register, its liaison the cadre; B, D: new people),
    # a 红领创客 with a household per town, a startup project per side founded by the side's talent
    from bole.talent import services as talent

    for i, (_s, _region) in enumerate((("A", town["A"]), ("B", town["B"]), ("D", county))):
        talent.template_save(actor=admin, stage="recruit", name=f"签订协议{i}", unit="县委人才办", day_offset=0)
    talents = {
        "A": talent.talent_create(actor=admin, person=p["resident"], level="provincial", field="欧阳地理信息",
                                  industry="I", education="doctor", origin="introduced", region=town["A"],
                                  employer=ent["A"], arrival_date=today - dt.timedelta(days=30)),
        **{s: talent.talent_create(
            actor=admin, name=f"{MARKERS[s]}才", level="county", field=f"{MARKERS[s]}智能制造", industry="C",
            education="master", origin="cultivated", region=region, arrival_date=today - dt.timedelta(days=30),
            id_number=make_id_number(rng, "330521", dt.date(1990, 1, 1 + k), True))
            for k, (s, region) in enumerate((("B", town["B"]), ("D", county)))},
    }
    talent.liaison_assign(talent=talents["A"], liaison=p["cadre"], actor=admin)
    for s, t in talents.items():
        w.put("talent", **{s: t.pk})
        w.put("talent_activity", **{s: t.activities.first().pk})
        proj = talent.project_create(actor=admin, name=f"{MARKERS[s]}北斗项目", field="地理信息", region=t.region,
                                     started_on=today - dt.timedelta(days=100), founders=[t])
        w.put("startup", **{s: proj.pk})
    # a 人才大赛 per side (A, B: held in the town by its unit; D: the county's), the side's talent entered
    from bole.talent import contests as talent_contests

    for s, region, unit in (("A", town["A"], town_unit["A"]), ("B", town["B"], town_unit["B"]), ("D", county, None)):
        tc = talent_contests.contest_create(actor=admin, name=f"{MARKERS[s]}人才大赛", year=today.year, region=region,
                                            unit=unit, tracks=[f"{MARKERS[s]}赛道"])
        talent_contests.contestant_add(actor=admin, contest=tc, track=tc.tracks.get(), talent=talents[s])
        w.put("talent_contest", **{s: tc.pk})
    for s in "AB":
        creator = talent.creator_create(actor=admin, name=f"{MARKERS[s]}创客", business=f"{MARKERS[s]}咖啡馆",
                                        village=comm[s], started_on=today - dt.timedelta(days=400))
        hh = talent.household_link(actor=admin, creator=creator, head=f"{MARKERS[s]}农户", village=comm[s],
                                   linked_on=today - dt.timedelta(days=300), baseline_income=50000)
        w.put("creator", **{s: creator.pk})
        w.put("household", **{s: hh.pk})
    # --- vouchers: a county 消费券 fund held by the A and B cadres, spent at A's and B's enterprise (merchants);
    # a 创新券 policy with each enterprise's application.
    from bole.vouchers import services as vouchers
    from bole.vouchers.views import pay_token

    span = {"region": county, "valid_from": today - dt.timedelta(days=30), "valid_until": today + dt.timedelta(days=300)}
    vpol = vouchers.support_policy_create(actor=admin, data={
        **span, "name": "人才消费券", "kind": "consumption", "holder_kind": "person", "needs_application": False,
        "formula": {"kind": "fixed", "amount": 50_000}, "categories": ["dining"]})
    ipol = vouchers.support_policy_create(actor=admin, data={
        **span, "name": "创新券", "kind": "innovation", "holder_kind": "enterprise",
        "formula": {"kind": "share", "base": "service_cost", "share": "0.5", "cap": 1_000_000}})
    vfund = vouchers.fund_create(policy_obj=vpol, year=today.year, budget_fen=10_000_000, actor=admin)
    vouchers.fund_create(policy_obj=ipol, year=today.year, budget_fen=10_000_000, actor=admin)
    w.put("vpolicy", A=vpol.pk)
    w.put("ipolicy", A=ipol.pk)
    w.put("vfund", A=vfund.pk)
    merchant_of = {}
    for s in "AB":
        e_user = w.users["enterprise"] if s == "A" else account("enterprise-b", "enterprise", ent["B"].credit_code)
        enrol = vouchers.merchant_enrol(fund=vfund, categories=["dining"], actor=e_user)
        vouchers.enrolment_decide(enrolment=enrol, to="approved", actor=admin)
        merchant_of[s] = (enrol.merchant, e_user)
        w.put("venrolment", **{s: enrol.pk})
        holder = p["cadre"] if s == "A" else p["B"]
        v = vouchers.voucher_issue(fund=vfund, person=holder, value_fen=20_000, valid_from=today,
                                   valid_until=today + dt.timedelta(days=60), actor=admin)
        w.put("voucher", **{s: v.pk})
        w.put("vpay_token", **{s: pay_token(v)})
        r = vouchers.redemption_request(voucher=v, merchant=enrol.merchant, amount_fen=1_000, actor=e_user)
        vouchers.redemption_confirm(redemption=r, actor=None)
        w.put("vredemption", **{s: r.pk})
        req = vouchers.redemption_request(voucher=v, merchant=enrol.merchant, amount_fen=500, actor=e_user)
        w.put("vrequest", **{s: req.pk})
        app = vouchers.application_submit(policy_obj=ipol, enterprise=ent[s], actor=None,
                                          declared={"service_cost": 100_000})
        w.put("vapplication", **{s: app.pk})
    # --- training: a plan of the county, a session per side running now with its cadre enrolled and present,
    # a class with a certificate per side ------------------------------------------------------------------------
    from bole.training import services as training

    now = timezone.now()
    plan = training.plan_create(actor=admin, year=now.year, region=county, organiser=org_dept)
    klass = training.class_create(actor=admin, plan=plan, title="能力提升集训班", pass_mark=60)
    w.put("training_class", A=klass.pk, B=klass.pk, D=klass.pk)
    start = now - dt.timedelta(minutes=10)
    for s, host, who in (("A", town_unit["A"], p["cadre"]), ("B", town_unit["B"], p["B"]), ("D", dept, p["D"])):
        ses = training.session_create(
            actor=admin, plan=plan, host_unit=host, title="城市更新专题讲座", place="报告厅", starts_at=start,
            ends_at=start + dt.timedelta(hours=3), capacity=30, hours=3, enrol_opens=start - dt.timedelta(days=5),
            enrol_closes=start, publish=True, training_class=klass)
        training.enrol(session=ses, person=who, actor=None, now=start - dt.timedelta(days=1))
        training.attendance_mark(session=ses, person=who, actor=admin, reason=f"{MARKERS[s]}补录")
        member = training.class_member_add(training_class=klass, person=who, actor=admin)
        w.put("training_session", **{s: ses.pk})
        w.put("training_member", **{s: member.pk})
        w.put("training_person", **{s: who.pk})
    training.class_scores_record(training_class=klass, scores={m.person_id: 90 for m in klass.members.all()},
                                 actor=admin, now=start)
    # the class's online end test, open now, with one question
    from bole.training import quizzes

    quiz = quizzes.quiz_create(training_class=klass, title="成果检验", opens_at=now - dt.timedelta(hours=1),
                               closes_at=now + dt.timedelta(days=2), actor=admin)
    question = quizzes.quiz_question_add(quiz=quiz, kind="truefalse", text="城市更新须留改拆并举", options=[], key=[0],
                                         points=100, actor=admin)
    quizzes.quiz_transition(quiz=quiz, to="open", actor=admin)
    w.put("training_question", A=question.pk, B=question.pk, D=question.pk)
    # a future session the cadres may still enrol in (and drop)
    later = now + dt.timedelta(days=3)
    for s, host in (("A", town_unit["A"]), ("B", town_unit["B"]), ("D", dept)):
        ses = training.session_create(
            actor=admin, plan=plan, host_unit=host, title="国土空间规划解读", place="会议室", starts_at=later,
            ends_at=later + dt.timedelta(hours=2), capacity=30, hours=2, enrol_opens=now - dt.timedelta(days=1),
            enrol_closes=later, publish=True)
        w.put("training_open_session", **{s: ses.pk})
        drop_ses = training.session_create(
            actor=admin, plan=plan, host_unit=host, title="文旅融合创意讲座", place="会议室", starts_at=later,
            ends_at=later + dt.timedelta(hours=2), capacity=30, hours=2, enrol_opens=now - dt.timedelta(days=1),
            enrol_closes=later, publish=True)
        w.put("training_drop_session", **{s: drop_ses.pk})
        if s == "A":  # the A cadre's elective, to drop
            training.enrol(session=drop_ses, person=p["cadre"], actor=None)
    for s, host in (("A", town_unit["A"]), ("B", town_unit["B"]), ("D", dept)):  # a topic offered to each host
        topic = training.topic_create(actor=admin, plan=plan, title="城市更新", theme="urban", host_unit=host)
        w.put("training_topic", **{s: topic.pk})
    w.put("training_plan", A=plan.pk, B=plan.pk, D=plan.pk)
    w.put("training_host", A=town_unit["A"].pk, B=town_unit["B"].pk, D=dept.pk)
    return w
