"""Demo growth records: the ten-item checklist, a record per young cadre with evidence, sign-offs and 蹲苗."""

from __future__ import annotations

import datetime as dt
import random

from . import services

EVIDENCE = {
    "一次攻坚行动": "参与城市更新征迁攻坚，负责 12 户入户谈判，全部签约。",
    "一次国情调研": "围绕村级集体经济开展两周蹲点调研，形成调研报告一篇。",
    "一项民生实事": "牵头协调老旧小区加装电梯一部，惠及 18 户居民。",
    "一次信访接待": "参与县信访局接待日，跟踪化解一件土地纠纷信访事项。",
    "一次基层宣讲": "在文化礼堂开展政策宣讲一场，听众 60 余人。",
    "一次项目服务": "全程参与一个亿元项目的代办服务，项目按期开工。",
    "一次应急处置": "参加防台防汛值守及转移群众工作。",
    "一次矛盾调解": "协助调解一起邻里宅基地纠纷，双方签订调解协议。",
    "一次驻村蹲苗": "驻村三个月，协助村两委完成强村项目申报。",
    "一份成长报告": "完成个人成长报告，导师已点评。",
}


def seed(*, scale: int = 1, seed: int = 2024, actor, password: str) -> dict[str, int]:
    """Deterministic for a seed: cohorts 2022–2025 by position in the young-cadre list."""
    from bole.org.models import Person

    from .models import GrowthRecord

    services.checklist_seed_default(actor=actor)
    if GrowthRecord.objects.exists():
        return {"growth_records": GrowthRecord.objects.count()}
    rng = random.Random(seed + 71)
    young = list(Person.objects.filter(is_young_cadre=True, is_active=True).select_related("unit").order_by("id"))
    mentors = list(Person.objects.filter(is_section_leader=True, is_active=True).order_by("id")
                   .values_list("id", flat=True)[:2000])
    mentor_rows = {p.pk: p for p in Person.objects.filter(pk__in=mentors)}
    for i, person in enumerate(young):
        cohort = 2022 + i % 4
        started = dt.date(cohort, 8, 1)
        mentor = mentor_rows.get(rng.choice(mentors)) if mentors else None
        record = services.growth_record_create(person=person, cohort=cohort, started_on=started, mentor=mentor,
                                               actor=actor)
        entries = list(record.entries.select_related("item").order_by("item__sort"))
        years = 2025 - cohort
        n_done = min(len(entries), max(0, years * 3 + rng.randint(-1, 2)))
        for entry in rng.sample(entries, n_done):
            done = entry.due_date - dt.timedelta(days=rng.randint(0, 200))
            services.growth_entry_submit(entry=entry, evidence=EVIDENCE.get(entry.item.name, "已完成。"),
                                         done_on=max(done, started), actor=actor)
            if rng.random() < 0.85:
                services.growth_entry_transition(entry=entry, to="signed", comment="完成较好", actor=actor)
        if years >= 1:
            services.posting_add(record=record, place=f"{person.unit.name}联系村", role="书记助理",
                                 starts_on=started + dt.timedelta(days=30),
                                 ends_on=started + dt.timedelta(days=30 + 180), actor=actor)
    return {"growth_records": GrowthRecord.objects.count()}
