"""Demo data of the talent team: 德清县's talent register with its lifecycle (16.3万 at --scale 100; 1,630 at scale 1)
and its ~100 master's-and-above startup projects; 吴兴区's talents, its 126 红领创客 (闵芝萍's coffee shop in 织里镇
伍浦村 first) and their 1,000+ households followed by the income panel. Written in bulk; the live flows (a service
request resolved and rated, a checklist ticked) go through the services."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from bole.core.records import bulk_create_audited
from bole.core.scoping import JUDGE, logins_where
from bole.evaluation import services as ev
from bole.org.demo import GIVEN, SURNAMES, county_org_unit
from bole.org.models import Enterprise, Person, Region
from bole.org.services import account_create
from bole.org.validators import id_check_char

from . import contests, services
from .choices import (
    ActivityState,
    Education,
    LeaveReason,
    Origin,
    ProjectStage,
    Stage,
    SupportKind,
    SurveyState,
    TalentLevel,
    TalentStatus,
)
from .models import (
    Activity,
    Contestant,
    Creator,
    Household,
    IncomeSurvey,
    ProjectMilestone,
    StageEntry,
    StageTemplate,
    StartupProject,
    Support,
    Talent,
)

DEQING, WUXING = "330521", "330502"
PER_SCALE = {DEQING: 1630, WUXING: 800}  # ×scale: 德清县's 16.3万 at --scale 100

TEMPLATES = [
    (Stage.RECRUIT, "签订引才协议", "县委人才办", 0),
    (Stage.RECRUIT, "落实岗位与薪酬", "用人单位", 7),
    (Stage.RECRUIT, "人才层次认定", "县人力社保局", 15),
    (Stage.SETTLE, "人才公寓或购房补贴", "县住建局", 10),
    (Stage.SETTLE, "户籍迁入", "县公安局", 20),
    (Stage.SETTLE, "子女入学", "县教育局", 30),
    (Stage.SETTLE, "配偶就业", "县人力社保局", 45),
    (Stage.SETTLE, "节日走访慰问", "县委人才办", 60),
    (Stage.SERVE, "季度走访", "人才专员", 90),
    (Stage.EVALUATE, "年度考核", "用人单位", 15),
    (Stage.EVALUATE, "续聘评估", "县委人才办", 30),
]

FIELDS = [("智能制造", "C"), ("生物医药", "C"), ("新材料", "C"), ("地理信息", "I"), ("数字经济", "I"),
          ("现代农业", "A"), ("乡村旅游", "H"), ("电子商务", "F"), ("工业设计", "M"), ("检验检测", "M"),
          ("文化创意", "R"), ("童装设计", "C")]
LEVELS = [(TalentLevel.NATIONAL, 3), (TalentLevel.PROVINCIAL, 20), (TalentLevel.CITY, 80), (TalentLevel.COUNTY, 300),
          (TalentLevel.OTHER, 597)]
EDUCATION = [(Education.DOCTOR, 3), (Education.MASTER, 12), (Education.BACHELOR, 50), (Education.COLLEGE, 25),
             (Education.OTHER, 10)]
CATEGORIES = ["", "", "", "乡村工匠", "技能人才", "青年英才"]
BUSINESSES = ["乡村咖啡馆", "民宿", "农产品直播间", "童装工作室", "湖羊养殖", "茶园", "精品果园", "研学基地",
              "手工竹编", "农家乐", "稻虾共作", "湖笔工坊", "花卉苗木", "电商仓储", "乡村书屋"]
PROJECT_WORDS = ["北斗", "遥感", "智能", "生物", "新材", "芯片", "医疗", "储能", "机器人", "数字", "检测", "氢能"]
PROJECT_TAILS = ["导航终端", "数据平台", "装备研发", "诊断试剂", "复合材料", "传感器", "云服务", "系统集成"]


def _pick(rng, weighted):
    values, weights = zip(*weighted, strict=True)
    return rng.choices(values, weights)[0]


def _id_number(rng, county: str, birth: dt.date, seen: set[str]) -> str:
    while True:
        first17 = f"{county}{birth:%Y%m%d}{rng.randrange(1000):03d}"
        idn = first17 + id_check_char(first17)
        if idn not in seen:
            seen.add(idn)
            return idn


def _name(rng) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.7 else "")


def seed(*, scale: int = 1, seed: int = 2024, actor, password: str, county: str | None = None) -> dict[str, int]:
    """Deterministic for a seed; the lifecycle's dates follow today so overdue items and retention stay current."""
    if Talent.objects.exists():
        return {"talents": Talent.objects.count(), "red_creators": Creator.objects.count()}
    rng = random.Random(seed + 1700)
    today = timezone.localdate()
    for i, (stage, name, unit, offset) in enumerate(TEMPLATES):
        StageTemplate.objects.get_or_create(stage=stage, name=name, defaults={"unit": unit, "day_offset": offset,
                                                                              "sort": i})
    seen: set[str] = set(Person.objects.values_list("id_tail", flat=True)[:0])
    liaisons: dict[str, list[int]] = {}
    made = 0
    for code in (DEQING, WUXING):
        if not Region.objects.filter(code=code).exists():
            continue
        liaisons[code] = list(Person.objects.filter(is_cadre=True, is_active=True, unit__kind="department",
                                                    unit__region__code=code).order_by("id")
                              .values_list("id", flat=True)[:12])
        made += _talents(rng, code, PER_SCALE[code] * scale, today=today, seen=seen, liaisons=liaisons[code],
                         actor=actor)
    logins = _logins(rng, today=today, actor=actor, password=password, liaisons=liaisons)
    projects = _projects(rng, today=today, actor=actor) if DEQING in liaisons else 0
    creators, households = _creators(rng, today=today, actor=actor) if WUXING in liaisons else (0, 0)
    contest = _contest(rng, today=today, actor=actor) if WUXING in liaisons else {}
    return {"talents": made, "startup_projects": projects, "red_creators": creators,
            "creator_households": households, **logins, **contest}


def _talents(rng, code: str, n: int, *, today: dt.date, seen: set[str], liaisons: list[int], actor) -> int:
    """n talents of one county in bulk, with their stage, checklist items and timeline rows."""
    regions = list(Region.objects.filter(code__startswith=code, level="town").values_list("pk", "code"))
    employers = list(Enterprise.objects.filter(region__code__startswith=code, is_active=True)
                     .values_list("pk", "region_id", "region__code")[:3000])
    rows = []
    for _i in range(n):
        birth = dt.date(rng.randint(1965, 2001), rng.randint(1, 12), rng.randint(1, 28))
        field, industry = rng.choice(FIELDS)
        arrival = today - dt.timedelta(days=int(rng.triangular(5, 3650, 900)))
        row = {
            "name": _name(rng), "id_number": _id_number(rng, code, birth, seen),
            "phone": f"13{rng.randint(5, 9)}{rng.randrange(10**8):08d}" if rng.random() < 0.8 else "",
            "level": _pick(rng, LEVELS), "category": rng.choice(CATEGORIES), "field": field, "industry": industry,
            "education": _pick(rng, EDUCATION), "origin": Origin.INTRODUCED if rng.random() < 0.45 else Origin.CULTIVATED,
            "arrival_date": arrival,
        }
        if employers and rng.random() < 0.75:
            emp, region_id, region_code = rng.choice(employers)
            row.update(employer_id=emp, region_id=region_id, region_code=region_code)
        else:
            region_id, region_code = rng.choice(regions)
            row.update(region_id=region_id, region_code=region_code)
        data = services.talent_prepare(row)
        age = (today - arrival).days
        if age < 45:
            stage, since = Stage.RECRUIT, arrival
        elif age < 150:
            stage, since = Stage.SETTLE, arrival + dt.timedelta(days=rng.randint(15, 40))
        elif rng.random() < 0.05:
            stage, since = Stage.EVALUATE, today - dt.timedelta(days=rng.randint(1, 60))
        else:
            stage, since = Stage.SERVE, arrival + dt.timedelta(days=rng.randint(60, 140))
        data.update(stage=stage, stage_since=since, status=TalentStatus.ACTIVE)
        if age > 200 and rng.random() < 0.13:
            left = arrival + dt.timedelta(days=rng.randint(120, max(121, age - 1)))
            data.update(stage=Stage.LEFT, status=TalentStatus.LEFT, stage_since=left, left_on=left,
                        leave_reason=rng.choice(LeaveReason.values),
                        exit_interview="离职面谈：感谢县里的服务，主要因个人发展另有安排。")
        if liaisons and data["status"] == TalentStatus.ACTIVE:
            data["liaison_id"] = rng.choice(liaisons)
        rows.append(data)
    bulk_create_audited(model=Talent, rows=rows, actor=actor)
    _history(rng, code, today=today)
    return len(rows)


def _history(rng, code: str, *, today: dt.date) -> None:
    """Timeline rows and checklist items of the county's seeded talents, in bulk."""
    templates = list(StageTemplate.objects.all())
    entries, items = [], []
    fields = ("pk", "stage", "stage_since", "arrival_date")
    for pk, stage, since, arrival in Talent.objects.filter(region_code__startswith=code).values_list(*fields):
        entries.append(StageEntry(talent_id=pk, from_stage="", to_stage=Stage.RECRUIT, on=arrival, note="登记入库"))
        if stage != Stage.RECRUIT:
            entries.append(StageEntry(talent_id=pk, from_stage=Stage.RECRUIT,
                                      to_stage=Stage.SETTLE if stage != Stage.LEFT else Stage.LEFT,
                                      on=since if stage in {Stage.SETTLE, Stage.LEFT} else arrival
                                      + dt.timedelta(days=20), note="阶段事项全部办结" if stage != Stage.LEFT else "离开"))
        if stage in {Stage.RECRUIT, Stage.SETTLE}:
            for t in templates:
                if t.stage != stage:
                    continue
                due = since + dt.timedelta(days=t.day_offset)
                done = due < today and rng.random() < 0.7
                items.append(Activity(talent_id=pk, template=t, stage=stage, name=t.name, unit=t.unit, due_on=due,
                                      state=ActivityState.DONE if done else ActivityState.OPEN,
                                      done_on=min(due, today) if done else None))
    StageEntry.objects.bulk_create(entries, batch_size=5000)
    Activity.objects.bulk_create(items, batch_size=5000)


def _logins(rng, *, today: dt.date, actor, password: str, liaisons: dict[str, list[int]]) -> dict[str, int]:
    """The talent's phone login `rencai` (a 德清县 talent on the person register, in 落户 with a checklist and a
    liaison) and the liaison's login `zhuanyuan`; two requests through the service desk, one rated."""
    ids = liaisons.get(DEQING) or []
    if not ids:
        return {}
    liaison = Person.objects.get(pk=ids[0])
    account_create(username="zhuanyuan", role="cadre", scope=liaison.id_number, password=password,
                   full_name=f"{liaison.name}（人才专员）", actor=actor)
    person = (Person.objects.filter(is_talent=True, is_cadre=False, unit__region__code__startswith=DEQING)
              .exclude(talent_records__isnull=False).order_by("id").first())
    if person is None:
        return {}
    region = Region.objects.filter(code__startswith=DEQING, level="town").order_by("code").first()
    talent = services.talent_create(
        actor=actor, person=person, level=TalentLevel.PROVINCIAL, category="", field="地理信息", industry="I",
        education=Education.DOCTOR, origin=Origin.INTRODUCED, region=region,
        arrival_date=today - dt.timedelta(days=40))
    talent = services.liaison_assign(talent=talent, liaison=liaison, actor=actor)
    for a in talent.activities.filter(stage=Stage.RECRUIT):
        services.activity_complete(activity=a, actor=actor, on=today - dt.timedelta(days=30))
    account_create(username="rencai", role="resident", scope=person.id_number, password=password,
                   full_name=person.name, actor=actor)
    from django.contrib.auth import get_user_model

    from bole.cases import services as case_services
    from bole.cases.choices import Action, Rating

    talent_user = get_user_model().objects.get(username="rencai")
    liaison_user = get_user_model().objects.get(username="zhuanyuan")
    done = services.service_request(talent=talent, title="人才公寓入住", description="希望尽快办理人才公寓入住手续。",
                                    actor=talent_user)
    case_services.case_transition(case=done, action=Action.START, actor=liaison_user)
    case_services.case_transition(case=done, action=Action.RESOLVE, actor=liaison_user,
                                  resolution="已协调县住建局，钥匙已交付。")
    case_services.case_transition(case=done, action=Action.RATE, actor=talent_user, rating=Rating.SATISFIED,
                                  comment="办理很快，谢谢。")
    services.service_request(talent=talent, title="子女入学咨询", description="孩子九月入读小学，需要了解入学流程。",
                             actor=talent_user)
    return {"talent_logins": 2}


def _projects(rng, *, today: dt.date, actor) -> int:
    """About 100 master's-and-above startup projects in 德清县, each with founders, milestones and support."""
    founders = list(Talent.objects.filter(region_code__startswith=DEQING, status=TalentStatus.ACTIVE,
                                          education__in=[Education.MASTER, Education.DOCTOR]).order_by("id")[:400])
    towns = list(Region.objects.filter(code__startswith=DEQING, level="town"))
    if not founders or not towns:
        return 0
    rows, names = [], set()
    while len(rows) < 100:
        name = f"{rng.choice(PROJECT_WORDS)}{rng.choice(PROJECT_TAILS)}项目"
        if name in names:
            name = f"{name[:-2]}{len(rows) + 1}号项目"
        names.add(name)
        region = rng.choice(towns)
        rows.append({"name": name, "field": rng.choice(FIELDS)[0], "region_id": region.pk,
                     "region_code": region.code, "started_on": today - dt.timedelta(days=rng.randint(60, 2000)),
                     "stage": _pick(rng, [(ProjectStage.INCUBATING, 35), (ProjectStage.SEED, 25),
                                          (ProjectStage.GROWTH, 25), (ProjectStage.MATURE, 10),
                                          (ProjectStage.CLOSED, 5)]),
                     "investment": Decimal(rng.randint(50, 5000)), "revenue": Decimal(rng.randint(0, 3000))})
    bulk_create_audited(model=StartupProject, rows=rows, actor=actor)
    through, milestones, supports = [], [], []
    for p in StartupProject.objects.order_by("id"):
        for f in rng.sample(founders, rng.randint(1, 3)):
            through.append(StartupProject.founders.through(startupproject_id=p.pk, talent_id=f.pk))
        for k, title in enumerate(["完成注册落地", "样机或首个产品", "首轮融资"]):
            due = p.started_on + dt.timedelta(days=120 * (k + 1))
            milestones.append(ProjectMilestone(project=p, title=title, due_on=due,
                                               done_on=due if due < today and rng.random() < 0.75 else None))
        supports.append(Support(project=p, kind=rng.choice([SupportKind.SITE, SupportKind.FUNDING, SupportKind.MENTOR]),
                                on=p.started_on + dt.timedelta(days=30), amount=Decimal(rng.choice([0, 20, 50, 100])),
                                note="人才创业扶持"))
    StartupProject.founders.through.objects.bulk_create(through, ignore_conflicts=True)
    ProjectMilestone.objects.bulk_create(milestones)
    Support.objects.bulk_create(supports)
    return len(rows)


def _creators(rng, *, today: dt.date, actor) -> tuple[int, int]:
    """吴兴区's 126 红领创客 and their households: a baseline when linked and a follow-up every six months, some
    missed, some not yet recorded."""
    villages = list(Region.objects.filter(code__startswith=WUXING, level="village").order_by("code"))
    if not villages:
        return 0, 0
    wupu = next((v for v in villages if v.name == "伍浦村"), villages[0])
    rows = []
    for i in range(126):
        village = wupu if i == 0 else rng.choice(villages)
        rows.append({"name": "闵芝萍" if i == 0 else _name(rng),
                     "business": "乡村咖啡馆" if i == 0 else f"{village.name}{rng.choice(BUSINESSES)}",
                     "village_id": village.pk, "region_code": village.code,
                     "started_on": today - dt.timedelta(days=rng.randint(600, 1800)),
                     "description": "返乡青年创业，带动村民增收"})
    bulk_create_audited(model=Creator, rows=rows, actor=actor)
    creators = list(Creator.objects.order_by("id"))
    households = []
    for c in creators:
        heads: set[str] = set()
        for _k in range(rng.choice([8, 9, 9, 10, 10])):
            head = _name(rng)
            while head in heads:  # one household per head and creator (a database rule)
                head = _name(rng)
            heads.add(head)
            households.append({"creator_id": c.pk, "head": head, "village_id": c.village_id,
                               "linked_on": c.started_on + dt.timedelta(days=rng.randint(30, 300)),
                               "link": rng.choice(["务工", "订单收购", "入股分红", "代销农产品"])})
    bulk_create_audited(model=Household, rows=households, actor=actor)
    surveys = []
    for h in Household.objects.order_by("id"):
        base = rng.uniform(30000, 70000)
        gain = rng.uniform(36000, 46000)  # the article: 1,000+ households each up by more than 3万元 a year
        k = 0
        while True:
            due = services.wave_due(h, k)
            if due > today:
                break
            roll = rng.random()
            if k > 0 and roll < 0.05:
                surveys.append(IncomeSurvey(household=h, wave=k, due_on=due, state=SurveyState.MISSED))
            elif k == 0 or roll > 0.09:
                income = base + gain * min(k / 2, 1.0) + rng.gauss(0, 1500)
                surveys.append(IncomeSurvey(household=h, wave=k, due_on=due, state=SurveyState.DONE,
                                            surveyed_on=due + dt.timedelta(days=rng.randint(0, 10)),
                                            income=Decimal(round(max(income, 0), 2)).quantize(Decimal("0.01"))))
            k += 1
    for s in surveys:
        if s.surveyed_on and s.surveyed_on > today:
            s.surveyed_on = today
    IncomeSurvey.objects.bulk_create(surveys, batch_size=5000)
    Support.objects.bulk_create([Support(creator=c, kind=rng.choice([SupportKind.POLICY, SupportKind.SITE,
                                                                     SupportKind.PUBLICITY]),
                                         on=c.started_on + dt.timedelta(days=20), note="红领创客扶持",
                                         amount=Decimal(rng.choice([0, 5, 10]))) for c in creators])
    return len(creators), len(households)


CONTEST_TRACKS = ["数字经济", "高端装备", "生物医药", "新材料"]


def _contest(rng, *, today: dt.date, actor) -> dict[str, int]:
    """吴兴区's 第六届全球高层次人才创新创业大赛: four tracks of six entries (talents of the district with a master's or
    doctorate, four of them with their startup project), seven judges on the preliminary, the best four of each
    track in the final before five of them, awards by the plan — all through the contest's and the engine's
    services, as a real contest runs."""
    judges = list(get_user_model().objects.filter(logins_where(JUDGE), is_active=True).order_by("username")[:7])
    region = Region.objects.filter(code=WUXING).first()
    entrants = list(Talent.objects.filter(region_code__startswith=WUXING, status=TalentStatus.ACTIVE,
                                          education__in=[Education.MASTER, Education.DOCTOR]).order_by("id")[:24])
    if len(judges) < 5 or region is None or len(entrants) < 24:
        return {}
    contest = contests.contest_create(
        actor=actor, name="第六届全球高层次人才创新创业大赛", year=today.year, region=region,
        unit=county_org_unit(WUXING), tracks=CONTEST_TRACKS, finalists_per_track=4,
        award_plan=[["一等奖", 1], ["二等奖", 1], ["三等奖", 1], ["优胜奖", 0]],
        description="面向海内外高层次人才的创新创业项目，分赛道初赛、决赛，评委宽严校正后评定奖项。")
    towns = list(Region.objects.filter(code__startswith=WUXING, level="town").order_by("code"))
    tracks = list(contest.tracks.all())
    for i, talent in enumerate(entrants):
        project = None
        if i % 6 == 0:
            project = services.project_create(
                actor=actor, name=f"{CONTEST_TRACKS[i // 6]}{talent.name}创业项目", field=CONTEST_TRACKS[i // 6],
                region=towns[i % len(towns)] if towns else region, started_on=today - dt.timedelta(days=200 + i),
                founders=[talent])
        contests.contestant_add(actor=actor, contest=contest, track=tracks[i // 6], talent=talent, project=project)
    ability = {t.pk: rng.gauss(0, 1) for t in entrants}
    for stage, seated in (("preliminary", judges), ("final", judges[:5])):
        contests.contest_transition(contest=contest, to=stage, actor=actor)
        contest.refresh_from_db()
        for user in seated:
            contests.judge_seat(actor=actor, contest=contest, user=user)
        evaluation = contests.current_round(contest)
        ev.evaluation_transition(evaluation=evaluation, to="open", actor=actor)
        severity = {u.pk: rng.gauss(0, 0.8) for u in seated}
        talent_of = dict(Contestant.objects.filter(contest=contest).values_list(f"{stage}_subject_id", "talent_id"))
        criteria = list(evaluation.criteria.all())
        for seat in evaluation.judges.select_related("user"):
            for subject in evaluation.subjects.all():
                scores = {}
                for c in criteria:
                    share = 0.74 + 0.07 * ability[talent_of[subject.pk]] + 0.035 * severity[seat.user_id] \
                        + rng.gauss(0, 0.03)
                    scores[c.pk] = min(c.max_score, max(0.0, round(c.max_score * share * 2) / 2))
                ev.judge_scores_save(seat=seat, subject=subject, scores=scores, actor=seat.user)
            ev.judge_submit(seat=seat, actor=seat.user)
    contests.contest_transition(contest=contest, to="awarded", actor=actor)
    contest.refresh_from_db()
    for evaluation in (contest.preliminary, contest.final):
        ev.evaluation_transition(evaluation=evaluation, to="published", actor=actor)
    return {"talent_contests": 1, "talent_contestants": len(entrants),
            "talent_contest_awards": Contestant.objects.filter(contest=contest).exclude(award="").count()}
