"""Demo 干部大讲堂 of 吴兴区 (seed article one): a year's plan themed on the district's central work — 城市建设,
文旅创意, 产业投资, 国土规划 — 34 sessions hosted by departments and towns and 18,000 attendances of its cadres, with
online and upper-level study imported, and one 集训班 (项目“双进”干部能力提升集训班) closed by its end test.

The plan, topics, sessions and the class go through the services; enrolments and attendances are written in bulk
(one audit row per session says how many), each credited by the same engine as a real sign-out."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone

from bole.core.audit import audit_build, audit_bulk
from bole.core.choices import AuditAction
from bole.engines import learning
from bole.org.demo import county_org_unit
from bole.org.models import Person, Region, Unit

from . import services
from .choices import AttendanceMethod, EnrolmentStatus, RecordSource
from .models import Attendance, Enrolment, LearningRecord, Session

SESSIONS = 34
ATTENDANCES = 18_000
CAPACITY = 700
# (theme, host department's short-name ending, topic, [session titles], (expert, institution))
TOPICS = [
    ("urban", "住建局", "城市有机更新与未来社区", ["城市更新片区开发的路径与案例", "未来社区建设的吴兴实践", "老旧小区改造与共同富裕"],
     ("陈建华", "同济大学建筑与城市规划学院")),
    ("urban", "住建局", "城市安全与韧性治理", ["城市生命线工程与安全运行", "房地产市场平稳健康发展", "城市精细化管理与数字城管"], ("刘志强", "浙江大学城市发展与低碳研究中心")),
    ("urban", "交通运输局", "交通强区与湖州南太湖新区", ["综合交通枢纽与城市能级", "轨道交通与站城融合"], ("吴光明", "浙江省交通规划设计研究院")),
    ("culture", "文广旅体局", "文旅融合与创意经济", ["文旅IP打造与城市品牌", "非遗活化与文化创意产业", "夜间经济与消费新场景"],
     ("孙丽君", "中国美术学院")),
    ("culture", "文广旅体局", "乡村文旅运营", ["乡村运营与文旅项目招引", "民宿经济高质量发展", "文旅项目投融资"], ("黄晓燕", "浙江工商大学旅游与城乡规划学院")),
    ("culture", "委宣传部", "讲好吴兴故事", ["新媒体时代的舆论引导", "湖笔文化与城市精神"], ("周文涛", "浙江传媒学院")),
    ("investment", "商务局", "大抓项目与招商引资", ["产业链招商的方法与实践", "外资外贸新形势", "招大引强：亿元以上项目招引", "营商环境优化提升"],
     ("王海峰", "复旦大学经济学院")),
    ("investment", "发改局", "投资与项目管理", ["专项债项目谋划与争取", "重大项目全生命周期管理", "政府投资项目绩效评价"],
     ("徐立新", "浙江省发展规划研究院")),
    ("investment", "经信局", "先进制造业与数字经济", ["数字经济与产业数字化转型", "专精特新企业培育", "新质生产力与产业升级"],
     ("郑永康", "浙江大学管理学院")),
    ("land", "自然资源局", "国土空间规划", ["国土空间总体规划解读", "全域土地综合整治", "低效用地再开发与亩均论英雄"],
     ("马德清", "中国城市规划设计研究院")),
    ("land", "自然资源局", "耕地保护与乡村振兴", ["耕地保护与粮食安全", "城乡建设用地增减挂钩", "地质灾害防治与应急管理"], ("何春梅", "浙江农林大学")),
    ("land", "生态环境分局", "生态文明与两山转化", ["“两山”理念的吴兴实践", "生态产品价值实现机制"], ("林思远", "浙江工业大学")),
]
ATT_FIELDS = ("session", "person", "checked_in_at", "checked_out_at", "method", "credited_hours", "note", "marked_by",
              "rating_taken")
CLASS_TITLES = ["项目谋划与包装", "项目招引谈判实务", "项目审批与要素保障", "项目建设与风险防控"]


def _insert(model, objs: list, fields: tuple[str, ...]) -> None:
    """Insert many new rows with one prepared statement (the ORM's bulk_create spends most of its time building
    each row's SQL): values prepared by the fields themselves, so dates and decimals are stored as the ORM would."""
    if not objs:
        return
    cols = [model._meta.get_field(f) for f in fields]
    # Table and column names come from the model, quoted by the backend; the values are parameters.
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(c.column) for c in cols)
    sql = f"INSERT INTO {table} ({names}) VALUES ({', '.join(['%s'] * len(cols))})"  # noqa: S608
    rows = [tuple(c.get_db_prep_save(getattr(o, c.attname), connection) for c in cols) for o in objs]
    with connection.cursor() as cur:
        for i in range(0, len(rows), 5000):
            cur.executemany(sql, rows[i:i + 5000])


def _host(units: list[Unit], ending: str) -> Unit:
    return next((u for u in units if (u.short_name or u.name).endswith(ending)), units[0])


def _weekday_at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def _write(session: Session, attendees: list[int], no_shows: list[int], waiting: list[int], rng: random.Random,
           hosts_user) -> tuple[list[Enrolment], list[Attendance]]:
    start, end = session.starts_at, session.ends_at
    opened = session.enrol_opens
    span = max(60, int((session.enrol_closes - opened).total_seconds()) - 60)
    enrolments, attendances = [], []
    stamps = sorted(rng.randrange(span) for _ in attendees + no_shows + waiting)
    order = attendees + no_shows
    rng.shuffle(order)
    for pid, sec in zip(order + waiting, stamps, strict=True):
        status = EnrolmentStatus.WAITING if pid in waiting else EnrolmentStatus.ENROLLED
        enrolments.append(Enrolment(session=session, person_id=pid, status=status,
                                    queued_at=opened + dt.timedelta(seconds=sec)))
    if session.ends_at > timezone.now():
        return enrolments, []
    for pid in attendees:
        came = start + dt.timedelta(minutes=rng.randint(-20, 10) if rng.random() < 0.9 else rng.randint(10, 50))
        left = end if rng.random() < 0.93 else end - dt.timedelta(minutes=rng.randint(20, 70))
        r = rng.random()
        method = AttendanceMethod.QR if r < 0.88 else AttendanceMethod.CODE if r < 0.98 else AttendanceMethod.MANUAL
        if came > start + dt.timedelta(minutes=10) and method == AttendanceMethod.QR:
            method = AttendanceMethod.CODE  # late arrivals mostly came in with the read-out code
        attendances.append(Attendance(
            session=session, person_id=pid, checked_in_at=came, checked_out_at=left, method=method,
            credited_hours=learning.credited_hours(session.hours, start, end, came, left),
            note="手机未带，主办方核实后补录" if method == AttendanceMethod.MANUAL else "",
            marked_by=hosts_user if method == AttendanceMethod.MANUAL else None))
    return enrolments, attendances


@transaction.atomic
def seed(*, scale: int = 1, seed: int = 2024, actor, password: str, county: str | None = None) -> dict[str, int]:
    """Deterministic for a seed; dates follow today (the 32 held sessions in the weeks before it, two still open
    for enrolment after it). `county` is 吴兴区's code in the demo city."""
    if Session.objects.exists():
        return {"training_sessions": Session.objects.filter(training_class__isnull=True).count(),
                "training_attendances": Attendance.objects.filter(session__training_class__isnull=True).count()}
    rng = random.Random(seed + 150)
    area = county or ""
    region = (Region.objects.filter(code=county).first() if county else
              Region.objects.filter(level="county").order_by("code").first())
    organiser = county_org_unit(county) or Unit.objects.filter(region=region).order_by("id").first()
    units = list(Unit.objects.filter(kind__in=["department", "party", "institution"], region=region).order_by("id"))
    towns = list(Unit.objects.filter(kind="town", region__code__startswith=area).select_related("region").order_by("id"))
    pool = list(Person.objects.filter(is_cadre=True, is_active=True, unit__region__code__startswith=area)
                .order_by("id").values_list("id", flat=True))
    leaders = list(Person.objects.filter(is_section_leader=True, is_active=True, unit__region__code__startswith=area)
                   .order_by("id").values_list("id", "name", "unit_id"))
    today = timezone.localdate()
    plan = services.plan_create(actor=actor, year=today.year, region=region, organiser=organiser,
                                title=f"{today.year}年{region.name}干部大讲堂")

    # 组织选题 · 部门配合: each topic offered to its host department, who accepts and names the lecturers
    sessions: list[Session] = []
    titles = [(t, s) for t in TOPICS for s in t[3]]
    rng.shuffle(titles)
    titles = titles[:SESSIONS]
    held = SESSIONS - 2
    topic_rows: dict[str, object] = {}
    town_heads = {}
    for _lid, name, unit_id in leaders:
        town_heads.setdefault(unit_id, name)
    for i, ((theme, ending, topic_title, _titles, expert), title) in enumerate(titles):
        host = _host(units, ending)
        if i % 6 == 5 and towns:  # the towns' 一把手 lecture too: one session in six is hosted by a town
            host = towns[i % len(towns)]
        topic = topic_rows.get(topic_title)
        if topic is None:
            topic = services.topic_create(actor=actor, plan=plan, title=topic_title, theme=theme, host_unit=host,
                                          target_groups="全区科级领导干部、中层骨干及年轻干部",
                                          lecturers=[{"name": expert[0], "institution": expert[1]}])
            services.topic_answer(topic=topic, accept=True, actor=None)
            topic_rows[topic_title] = topic
        lecturer = f"{expert[0]}（{expert[1]}）"
        if host.kind == "town" and town_heads.get(host.pk):
            lecturer = f"{town_heads[host.pk]}（{host.name}主要负责人）"
        if i < held:
            day = today - dt.timedelta(days=7 * (held - i))
        else:
            day = today + dt.timedelta(days=7 * (i - held + 1))
        day = day - dt.timedelta(days=(day.weekday() - 3) % 7)  # Thursday afternoons
        start = _weekday_at(day, 14, 30)
        sessions.append(services.session_create(
            actor=actor, plan=plan, topic=topic, host_unit=host, title=title, lecturer=lecturer,
            place="吴兴区行政中心大礼堂" if i % 3 else "区委党校报告厅", starts_at=start,
            ends_at=start + dt.timedelta(hours=3), capacity=CAPACITY if i < held else (120 if i == held else 300),
            hours=3, compulsory=i % 8 == 0, enrol_opens=start - dt.timedelta(days=14), enrol_closes=start,
            publish=True))

    # 18,000 attendances over the sessions held, by deterministic weights within each hall's capacity
    weights = [rng.uniform(0.8, 1.2) for _ in range(held)]
    total = sum(weights)
    sizes = [int(ATTENDANCES * w / total) for w in weights]
    sizes[sizes.index(min(sizes))] += ATTENDANCES - sum(sizes)
    people = pool if len(pool) >= CAPACITY else list(
        Person.objects.filter(is_active=True, unit__region__code__startswith=area).order_by("id")
        .values_list("id", flat=True))
    regular = [p for p, _n, _u in leaders[:12]]  # the first section leaders (the demo cadre among them) attend often
    enrol_rows, att_rows, events = [], [], []
    for i, s in enumerate(sessions):
        if i < held:
            n = sizes[i]
            picked = set(rng.sample(people, min(len(people), n + n // 25)))
            if i % 3 == 0:
                picked.update(regular)
            picked = list(picked)
            rng.shuffle(picked)
            attendees, no_shows, waiting = picked[:n], picked[n:n + n // 25], []
        else:
            k = s.capacity + 15 if i == held else s.capacity // 2
            picked = [p for p in rng.sample(people, min(len(people), k)) if p not in regular[:1]]
            attendees, no_shows = [], picked[:s.capacity]
            waiting = picked[s.capacity:]
        e, a = _write(s, attendees, no_shows, waiting, rng, actor)
        enrol_rows += e
        att_rows += a
        events.append(audit_build(actor=actor, action=AuditAction.IMPORT, obj=s,
                                  changes={"enrolments": [None, len(e)], "attendances": [None, len(a)]}))
    _insert(Enrolment, enrol_rows, ("session", "person", "status", "queued_at", "promoted_at", "dropped_at"))
    _insert(Attendance, att_rows, ATT_FIELDS)

    # imported hours: online study for most cadres, upper-level training for some section leaders
    records = []
    year_start = dt.date(today.year, 1, 1)
    for pid in people:
        for _k in range(rng.choice((0, 1, 1, 2, 3))):
            records.append(LearningRecord(person_id=pid, source=RecordSource.ONLINE, title="浙江干部网络学院专题学习",
                                          day=year_start + dt.timedelta(days=rng.randrange(max(1, (today - year_start).days))),
                                          hours=Decimal(rng.choice((10, 15, 20, 24, 30)))))
    for pid, _n, _u in leaders[: max(1, len(leaders) // 4)]:
        records.append(LearningRecord(person_id=pid, source=RecordSource.UPPER, title="市委党校中青年干部培训班",
                                      day=year_start + dt.timedelta(days=rng.randrange(max(1, (today - year_start).days))),
                                      hours=Decimal(40)))
    _insert(LearningRecord, records, ("person", "source", "title", "day", "hours"))
    audit_bulk(events)
    rated = _rate(sessions[:held], att_rows, rng)

    # 集训班 with its 成果检验: four days of sessions, 40 members, scores recorded after the test
    klass = services.class_create(actor=actor, plan=plan, title="项目“双进”干部能力提升集训班", pass_mark=60,
                                  test_date=today - dt.timedelta(days=30))
    first = today - dt.timedelta(days=45)
    class_sessions = []
    for k, title in enumerate(CLASS_TITLES):
        st = _weekday_at(first + dt.timedelta(days=k), 9)
        class_sessions.append(services.session_create(
            actor=actor, plan=plan, training_class=klass, host_unit=organiser, title=title, place="区委党校",
            starts_at=st, ends_at=st + dt.timedelta(hours=7), capacity=40, hours=8, compulsory=True,
            audience="section", enrol_opens=st - dt.timedelta(days=20), enrol_closes=st - dt.timedelta(days=1),
            lecturer="浙江大学继续教育学院", publish=True))
    members = [p for p, _n, _u in leaders[12:52]]
    now = first - dt.timedelta(days=5)
    for pid in members:
        services.class_member_add(training_class=klass, person=Person.objects.get(pk=pid), actor=actor,
                                  now=_weekday_at(now, 9))
    class_att = []
    for j, pid in enumerate(members):
        for k, s in enumerate(class_sessions):
            if (j == 3 and k in (1, 2)) or (j == 17 and k == 0):
                continue  # a day or two missed of four: over 1/7 of the class's time → 退学
            left = s.ends_at - dt.timedelta(hours=1) if (j % 9 == 4 and k == 3) else s.ends_at
            came = s.starts_at + dt.timedelta(minutes=rng.randint(-15, 5))
            class_att.append(Attendance(session=s, person_id=pid, checked_in_at=came, checked_out_at=left,
                                        method=AttendanceMethod.QR,
                                        credited_hours=learning.credited_hours(s.hours, s.starts_at, s.ends_at, came,
                                                                               left)))
    _insert(Attendance, class_att, ATT_FIELDS)
    scores = {pid: Decimal(max(35, min(98, round(rng.gauss(78, 11))))) for pid in members}
    services.class_scores_record(training_class=klass, scores=scores, actor=actor,
                                 now=class_sessions[-1].ends_at + dt.timedelta(days=1))
    return {"training_sessions": len(sessions), "training_attendances": len(att_rows),
            "training_enrolments": len(enrol_rows), "training_records": len(records),
            "training_class_members": len(members), "training_ratings": rated}


RATERS_PER_SESSION = 12


def _rate(sessions: list[Session], attendances: list[Attendance], rng: random.Random) -> int:
    """A dozen attendees of each session held rate it (anonymous ballots through the evaluation engine, taken an
    hour after the end); the ratings of sessions ended over a week ago are then closed and scored."""
    from bole.evaluation import services as ev_services
    from bole.evaluation.models import Evaluation

    from . import ratings

    by_session: dict[int, list[int]] = {}
    for a in attendances:
        by_session.setdefault(a.session_id, []).append(a.person_id)
    people = Person.objects.in_bulk({a.person_id for a in attendances})
    n = 0
    for s in sessions:
        raters = by_session.get(s.pk, [])
        pairs = None
        for pid in rng.sample(raters, min(RATERS_PER_SESSION, len(raters))):
            token = ratings.rating_link(session=s, person=people[pid], actor=None,
                                        now=s.ends_at + dt.timedelta(hours=1))
            if pairs is None:
                ev = Evaluation.objects.get(pk=s.rating_id)
                pairs = [(sub, c) for sub in ev.subjects.values_list("pk", flat=True)
                         for c in ev.criteria.values_list("pk", flat=True)]
            base = rng.choice((7, 8, 8, 9, 9, 10))
            ev_services.ballot_submit(token=token, answers={
                pair: max(1, min(10, base + rng.choice((-1, 0, 0, 1)))) for pair in pairs})
            n += 1
    ratings.ratings_close()
    return n
