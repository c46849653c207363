"""A small 产学研 market: the 技术需求 desk, four experts (one on the register with a login), needs posted by
enterprises through the portal and classified by the department."""

import pytest

from bole.cases import services as case_services
from bole.cases.choices import SubmitterKind
from bole.org.services import account_create
from bole.pairing import services

EXPERTS = [
    ("ZJUT-001", "地理信息", "遥感影像、地理信息系统、三维建模", "长期从事遥感影像与三维建模研究，承担无人机测绘项目。"),
    ("ZJUT-002", "环保", "污水处理、重金属污染、膜分离", "研究电镀废水膜分离回用与重金属污染治理。"),
    ("ZJUT-003", "新能源", "锂电池、热管理、储能系统", "研究锂电池正极材料与储能系统热管理。"),
    ("ZJUT-004", "纺织", "纺织印染、染色工艺", "研究纺织印染与抗菌面料。"),
]


@pytest.fixture
def market(county, users):
    admin = users["admin"]
    desk = services.need_desk_ensure(actor=admin)
    prof = account_create(username="prof", role="resident", scope=county["lisi"].id_number, password="pass-1234-word",
                          actor=None)
    experts = []
    for i, (code, field, kw, works) in enumerate(EXPERTS):
        experts.append(services.expert_create(
            actor=admin, region=county["county"], code=code, name=f"专家{i}", institution="浙江工业大学",
            fields=field, keywords=kw, works=works, capacity=2, person=county["lisi"] if i == 0 else None))

    def post(ent, title, text, actor):
        return case_services.case_submit(desk=desk, title=title, description=text,
                                         submitter_kind=SubmitterKind.ENTERPRISE, submitter_enterprise=ent,
                                         actor=actor)

    c1 = post(county["e1"], "遥感影像识别精度不足", "遥感影像地物识别精度不足，希望在三维建模方面得到指导。", users["ent"])
    c2 = post(county["e2"], "电镀废水重金属超标", "电镀废水处理后重金属污染超标，需要膜分离技术支持。", admin)
    return {"desk": desk, "experts": experts, "prof": prof, "cases": [c1, c2], "post": post}
