"""The demo city (湖州市) with its two counties, 吴兴区 and 德清县: real street and township names, valid identifiers,
built through the services. Each county runs its own article's mechanisms (`DemoCounty.mechanisms`)."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from django.db import transaction

from bole.core.records import bulk_create_audited

from . import services
from .choices import Industry, PoliticalStatus, Rank, RegionKind, UnitKind
from .models import Enterprise, Person, Region, Unit
from .validators import credit_check_char, id_check_char

CITY = ("330500", "湖州市")
COUNTY = ("330521", "德清县")
# 德清县's towns, coded 330521001… in this order, their villages and communities 001… in order.
TOWNS = [
    ("武康街道", RegionKind.STREET, ["余英坊社区", "永安社区", "千秋社区", "丰庆社区", "城西社区", "五四村"]),
    ("舞阳街道", RegionKind.STREET, ["塔山社区", "城北社区", "对河口村", "郭肇村", "上柏村"]),
    ("阜溪街道", RegionKind.STREET, ["上杨村", "龙山村", "郭肇社区", "五四社区", "三桥村"]),
    ("下渚湖街道", RegionKind.STREET, ["二都村", "和睦村", "新琪村", "沈家墩村", "下渚湖社区"]),
    ("康乾街道", RegionKind.STREET, ["康乾社区", "城东村", "新港村", "东衡村", "张陆湾村"]),
    ("乾元镇", RegionKind.TOWN, ["金火村", "城东社区", "明星村", "齐星村", "联合村"]),
    ("新市镇", RegionKind.TOWN, ["宋市村", "蔡界村", "韶村村", "士林村", "新市社区", "梅林村"]),
    ("洛舍镇", RegionKind.TOWN, ["砂村村", "东衡村", "洛舍社区", "张陆湾社区"]),
    ("钟管镇", RegionKind.TOWN, ["曲溪村", "南舍村", "钟管社区", "沈家墩社区", "蠡山村"]),
    ("禹越镇", RegionKind.TOWN, ["三林村", "高桥村", "禹越社区", "杨墩村"]),
    ("新安镇", RegionKind.TOWN, ["百寿村", "新安社区", "舍北村", "勾里村"]),
    ("雷甸镇", RegionKind.TOWN, ["洋北村", "杨林村", "雷甸社区", "光辉村"]),
    ("莫干山镇", RegionKind.TOWN, ["勤勤村", "劳岭村", "仙潭村", "燎原村", "南路村", "后坞村"]),
]
DEPARTMENTS = [
    ("中共德清县委组织部", "县委组织部", UnitKind.PARTY_COMMITTEE),
    ("中共德清县委办公室", "县委办", UnitKind.PARTY_COMMITTEE),
    ("中共德清县委宣传部", "县委宣传部", UnitKind.PARTY_COMMITTEE),
    ("中共德清县委统战部", "县委统战部", UnitKind.PARTY_COMMITTEE),
    ("中共德清县委政法委员会", "县委政法委", UnitKind.PARTY_COMMITTEE),
    ("中共德清县纪律检查委员会", "县纪委", UnitKind.PARTY_COMMITTEE),
    ("德清县人民政府办公室", "县府办", UnitKind.DEPARTMENT),
    ("德清县发展和改革局", "县发改局", UnitKind.DEPARTMENT),
    ("德清县经济和信息化局", "县经信局", UnitKind.DEPARTMENT),
    ("德清县教育局", "县教育局", UnitKind.DEPARTMENT),
    ("德清县科学技术局", "县科技局", UnitKind.DEPARTMENT),
    ("德清县公安局", "县公安局", UnitKind.DEPARTMENT),
    ("德清县民政局", "县民政局", UnitKind.DEPARTMENT),
    ("德清县司法局", "县司法局", UnitKind.DEPARTMENT),
    ("德清县财政局", "县财政局", UnitKind.DEPARTMENT),
    ("德清县人力资源和社会保障局", "县人社局", UnitKind.DEPARTMENT),
    ("德清县自然资源和规划局", "县自然资源局", UnitKind.DEPARTMENT),
    ("湖州市生态环境局德清分局", "县生态环境分局", UnitKind.DEPARTMENT),
    ("德清县住房和城乡建设局", "县住建局", UnitKind.DEPARTMENT),
    ("德清县交通运输局", "县交通运输局", UnitKind.DEPARTMENT),
    ("德清县水利局", "县水利局", UnitKind.DEPARTMENT),
    ("德清县农业农村局", "县农业农村局", UnitKind.DEPARTMENT),
    ("德清县商务局", "县商务局", UnitKind.DEPARTMENT),
    ("德清县文化和广电旅游体育局", "县文广旅体局", UnitKind.DEPARTMENT),
    ("德清县卫生健康局", "县卫健局", UnitKind.DEPARTMENT),
    ("德清县退役军人事务局", "县退役军人事务局", UnitKind.DEPARTMENT),
    ("德清县应急管理局", "县应急管理局", UnitKind.DEPARTMENT),
    ("德清县审计局", "县审计局", UnitKind.DEPARTMENT),
    ("德清县市场监督管理局", "县市场监管局", UnitKind.DEPARTMENT),
    ("德清县统计局", "县统计局", UnitKind.DEPARTMENT),
    ("德清县医疗保障局", "县医保局", UnitKind.DEPARTMENT),
    ("德清县综合行政执法局", "县综合执法局", UnitKind.DEPARTMENT),
    ("德清县信访局", "县信访局", UnitKind.DEPARTMENT),
    ("德清县数据局", "县数据局", UnitKind.DEPARTMENT),
    ("德清县投资促进中心", "县投促中心", UnitKind.INSTITUTION),
    ("德清县人才工作服务中心", "县人才服务中心", UnitKind.INSTITUTION),
    ("德清县城市建设发展集团有限公司", "县城建集团", UnitKind.SOE),
]
# 吴兴区's streets (0xx), towns (1xx) and township (2xx) in the statistical code scheme; communities are
# numbered 001…, villages 201… within each.
WUXING_TOWNS = [
    ("330502001", "月河街道", RegionKind.STREET, ["潮音桥社区", "小西街社区", "红门馆社区", "南园社区"]),
    ("330502002", "朝阳街道", RegionKind.STREET, ["闻波社区", "红旗路社区", "北门社区", "海岛社区", "湖东社区"]),
    ("330502003", "爱山街道", RegionKind.STREET, ["南街社区", "衣裳街社区", "马军巷社区", "百步社区"]),
    ("330502004", "飞英街道", RegionKind.STREET, ["府庙社区", "飞英社区", "红丰社区", "东白鱼潭社区"]),
    ("330502005", "龙泉街道", RegionKind.STREET, ["吉山社区", "凤凰社区", "青塘社区", "龙泉社区"]),
    ("330502006", "康山街道", RegionKind.STREET, ["毗山社区", "康山社区", "新塘村", "施家桥村"]),
    ("330502007", "仁皇山街道", RegionKind.STREET, ["仁皇山社区", "青铜社区", "太湖社区", "长田漾村"]),
    ("330502008", "滨湖街道", RegionKind.STREET, ["滨湖社区", "大钱村", "白雀村", "戴山村"]),
    ("330502009", "杨家埠街道", RegionKind.STREET, ["杨家埠社区", "陆家湾村", "丘城村", "沈家村"]),
    ("330502010", "环渚街道", RegionKind.STREET, ["环渚社区", "漾西村", "汇丰村", "新联村"]),
    ("330502100", "织里镇", RegionKind.TOWN, ["织里社区", "伍浦村", "义皋村", "晟舍村", "轧村村", "秦家港村"]),
    ("330502101", "八里店镇", RegionKind.TOWN, ["八里店社区", "移沿山村", "尹家圩村", "潞村村", "南塘村"]),
    ("330502102", "妙西镇", RegionKind.TOWN, ["妙西社区", "妙山村", "杼山村", "西塞山村"]),
    ("330502103", "埭溪镇", RegionKind.TOWN, ["埭溪社区", "上强村", "茅坞村", "大冲村"]),
    ("330502104", "东林镇", RegionKind.TOWN, ["东林社区", "东林村", "泉益村", "南山村"]),
    ("330502200", "道场乡", RegionKind.TOWN, ["道场社区", "菰城村", "红里山村", "道场浜村"]),
]


def _codes(towns: list) -> list[tuple[str, str, str, list[tuple[str, str]]]]:
    """Towns with their villages' codes: 德清县's numbered in order, 吴兴区's by the statistical scheme."""
    out = []
    for t, (code, name, kind, villages) in enumerate(towns, start=1):
        if code.isdigit():
            communities = [v for v in villages if v.endswith("社区")]
            coded = [(f"{code}{k:03d}", v) for k, v in enumerate(communities, start=1)]
            coded += [(f"{code}{200 + k:03d}", v) for k, v in enumerate([v for v in villages if v not in communities],
                                                                          start=1)]
            out.append((code, name, kind, sorted(coded)))
        else:
            code = f"{COUNTY[0]}{t:03d}"
            out.append((code, name, kind, [(f"{code}{v:03d}", vname) for v, vname in enumerate(villages, start=1)]))
    return out


def _wuxing_departments() -> list[tuple[str, str, str]]:
    """吴兴区's departments: 德清县's list under the district's names (县→区)."""
    return [(name.replace("德清县", "湖州市吴兴区").replace("德清分局", "吴兴分局"), short.replace("县", "区", 1), kind)
            for name, short, kind in DEPARTMENTS]


@dataclass(frozen=True)
class DemoCounty:
    """One county of the demo city: its registers' sizes (×scale), its admin login and the mechanism apps that
    seed its article's records (the other county runs none of them)."""

    code: str
    name: str
    kind: str
    towns: list
    departments: list
    people: int
    leaders: int
    enterprises: int
    brand: str  # how its companies' names start
    admin: tuple[str, str]  # login, full name
    mechanisms: tuple[str, ...]


# 吴兴区 (seed article one): 雄鹰擂台赛 and 民主测评 (evaluation), 揭榜挂帅 (challenges), 奔跑赶超 (assessment), the
# 131 major projects (projects.major: seeded by the projects app beside 德清县's key projects).
# 德清县 (seed article two): 兜底办 (cases), 家园支部 (community), 一线考评 (projects), 担当之星 (awards).
# 德清县's sizes are its article's figures (646 section-level leaders); 吴兴区's are the demo's own.
COUNTIES = (
    DemoCounty(code="330502", name="吴兴区", kind=RegionKind.DISTRICT, towns=_codes(WUXING_TOWNS),
               departments=_wuxing_departments(), people=3000, leaders=400, enterprises=900, brand="吴兴",
               admin=("wuxing", "吴兴区委组织部管理员"),
               mechanisms=("evaluation", "challenges", "training", "assessment", "projects.major")),
    DemoCounty(code=COUNTY[0], name=COUNTY[1], kind=RegionKind.COUNTY,
               towns=_codes([("", name, kind, villages) for name, kind, villages in TOWNS]),
               departments=DEPARTMENTS, people=5000, leaders=646, enterprises=1500, brand="德清",
               admin=("deqing", "德清县委组织部管理员"),
               mechanisms=("cases", "community", "projects", "awards", "villages", "pairing")),
)
CITY_UNIT = ("中共湖州市委组织部", "市委组织部")
# Region-scoped admins: the city's, each county's, and a street's (武康街道, the login the docs and tests use).
ADMINS = [("huzhou", CITY[0], "湖州市委组织部管理员"),
          *[(c.admin[0], c.code, c.admin[1]) for c in COUNTIES],
          ("wukang", "330521001", "武康街道管理员")]


def county_of(app: str) -> str | None:
    """The code of the demo county whose article `app` seeds (its `seed(county=...)`); None: the whole city."""
    return next((c.code for c in COUNTIES if app in c.mechanisms), None)


SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国志红文斌宇浩凯鹏飞晨阳俊辉婷雪琳欣怡子涵梓轩睿博思远嘉诚佳琪一鸣晓东海燕春梅立新永康振华德清越彬炜琦瑶慧颖"
COMPANY_WORDS = ["华", "德", "新", "恒", "盛", "瑞", "鑫", "宏", "丰", "源", "达", "泰", "嘉", "禾", "莫", "干", "武", "康", "通", "远", "科", "创", "信", "诚"]
COMPANY_KINDS = [
    ("C", "机械制造"), ("C", "新材料"), ("C", "生物医药"), ("C", "装饰材料"), ("I", "地理信息"), ("I", "软件"),
    ("A", "生态农业"), ("H", "民宿"), ("F", "贸易"), ("E", "建设工程"), ("M", "检测技术"), ("G", "物流"),
    ("R", "文化传媒"), ("L", "商务咨询"), ("K", "置业"), ("D", "新能源"),
]
_ORG_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def make_id_number(rng: random.Random, area: str, birth: dt.date, male: bool) -> str:
    seq = rng.randrange(0, 500) * 2 + (1 if male else 0)
    first17 = f"{area}{birth:%Y%m%d}{seq:03d}"
    return first17 + id_check_char(first17)


def make_credit_code(rng: random.Random, area: str) -> str:
    digits = "".join(rng.choice("0123456789") for _ in range(8))
    total = sum(int(c) * w for c, w in zip(digits, _ORG_WEIGHTS, strict=True))
    check = 11 - total % 11
    org_code = digits + ("X" if check == 10 else "0" if check == 11 else str(check))
    first17 = "91" + area + org_code
    return first17 + credit_check_char(first17)


def _name(rng: random.Random) -> str:
    given = rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.7 else "")
    return rng.choice(SURNAMES) + given


def _phone(rng: random.Random) -> str:
    return rng.choice(["135", "136", "137", "138", "139", "150", "151", "158", "159", "187", "188", "199"]) + "".join(
        rng.choice("0123456789") for _ in range(8)
    )




def _seed_county(rng: random.Random, spec: DemoCounty, *, city: Region, scale: int, seen_ids: set[str],
                 actor) -> None:
    """One county's regions, units, people (spec.people×scale, spec.leaders×scale section-level leaders) and
    enterprises (spec.enterprises×scale)."""
    county = services.region_create(actor=actor, code=spec.code, name=spec.name, kind=spec.kind, parent=city)
    dept_units = [services.unit_create(actor=actor, name=name, short_name=short, kind=kind, region=county)
                  for name, short, kind in spec.departments]
    town_units, village_units, town_regions, village_regions = [], [], [], []
    for code, tname, tkind, villages in spec.towns:
        town = services.region_create(actor=actor, code=code, name=tname, kind=tkind, parent=county)
        town_regions.append(town)
        label = "党工委办事处" if tkind == RegionKind.STREET else "党委政府"
        tunit = services.unit_create(actor=actor, name=f"{tname}{label}", short_name=tname, kind=UnitKind.TOWN,
                                     region=town)
        town_units.append(tunit)
        for vcode, vname in villages:
            vkind = RegionKind.COMMUNITY if vname.endswith("社区") else RegionKind.VILLAGE
            vreg = services.region_create(actor=actor, code=vcode, name=vname, kind=vkind, parent=town)
            village_regions.append(vreg)
            suffix = "居委会" if vkind == RegionKind.COMMUNITY else "村委会"
            village_units.append(services.unit_create(
                actor=actor, name=f"{tname}{vname}{suffix}", short_name=vname, kind=UnitKind.VILLAGE,
                region=vreg, parent=tunit))

    # People: section-level leaders spread over departments and towns, others everywhere.
    n_people, n_leaders = spec.people * scale, spec.leaders * scale
    gov_units = dept_units + town_units
    rows = []
    today = dt.date(2024, 1, 1)
    for i in range(n_people):
        leader = i < n_leaders
        if leader:
            unit = gov_units[i % len(gov_units)]
        else:
            unit = rng.choice(gov_units * 3 + village_units)
        is_village = unit.kind == UnitKind.VILLAGE
        age = rng.randint(34, 56) if leader else rng.randint(22, 58)
        birth = dt.date(today.year - age, rng.randint(1, 12), rng.randint(1, 28))
        male = rng.random() < (0.72 if leader else 0.55)
        while True:
            idn = make_id_number(rng, rng.choice(["330521", "330502", "330503", "330522", "330523"]), birth, male)
            if idn not in seen_ids:
                seen_ids.add(idn)
                break
        young = not leader and not is_village and age <= 30 and rng.random() < 0.25
        party = leader or rng.random() < (0.55 if not is_village else 0.45)
        if leader:
            rank = Rank.SECTION_CHIEF if rng.random() < 0.4 else Rank.SECTION_DEPUTY
            if unit.kind == UnitKind.TOWN:
                position = rng.choice(["党委书记", "镇长", "副镇长", "党委副书记", "党委委员", "人大主席", "武装部长"])
            else:
                position = rng.choice(["局长", "副局长", "主任", "副主任", "党组成员", "总工程师"])
        elif is_village:
            rank, position = Rank.NONE, rng.choice(["党组织书记", "村委会主任", "村务工作者", "网格员", "委员"])
        else:
            rank = rng.choice([Rank.LEVEL1, Rank.LEVEL2, Rank.LEVEL3, Rank.LEVEL4, Rank.STAFF1, Rank.STAFF2])
            position = rng.choice(["科员", "科长", "副科长", "办公室主任", "干事"])
        rows.append(services.person_prepare({
            "name": _name(rng), "id_number": idn, "phone": _phone(rng), "unit_id": unit.pk,
            "position": position, "rank": rank,
            "political_status": PoliticalStatus.MEMBER if party else rng.choice(
                [PoliticalStatus.NONE, PoliticalStatus.LEAGUE, PoliticalStatus.DEMOCRATIC]),
            "is_cadre": not is_village, "is_section_leader": leader, "is_young_cadre": young,
            "is_party_member": party, "is_talent": rng.random() < 0.03, "is_expert": rng.random() < 0.01,
        }))
    bulk_create_audited(model=Person, rows=rows, actor=actor)

    ent_rows = []
    seen_codes: set[str] = set()  # credit codes carry the county's code: no clash with another county
    for _i in range(spec.enterprises * scale):
        industry, word = rng.choice(COMPANY_KINDS)
        region = rng.choice(town_regions + village_regions)
        code = make_credit_code(rng, spec.code)
        while code in seen_codes:
            code = make_credit_code(rng, spec.code)
        seen_codes.add(code)
        brand = rng.choice(COMPANY_WORDS) + rng.choice(COMPANY_WORDS)
        ent_rows.append(services.enterprise_prepare({
            "name": f"{spec.brand}{brand}{word}有限公司" if rng.random() < 0.8 else f"浙江{brand}{word}股份有限公司",
            "credit_code": code, "industry": industry if industry in Industry.values else "C",
            "region_id": region.pk, "contact_name": _name(rng), "contact_phone": _phone(rng),
            "address": f"{spec.name}{region.name}{rng.randint(1, 300)}号",
        }))
    # Names can repeat in synthetic data; real registers key on the credit code, not the name.
    bulk_create_audited(model=Enterprise, rows=ent_rows, actor=actor)


@transaction.atomic
def seed_registers(*, scale: int = 1, seed: int = 2024, actor=None) -> dict[str, int]:
    """Create the city (湖州市, its Organization Department's unit) and each county of `COUNTIES`: regions,
    units, people and enterprises. Deterministic for a given (scale, seed)."""
    rng = random.Random(seed)
    city = services.region_create(actor=actor, code=CITY[0], name=CITY[1], kind=RegionKind.CITY)
    services.unit_create(actor=actor, name=CITY_UNIT[0], short_name=CITY_UNIT[1], kind=UnitKind.PARTY_COMMITTEE,
                         region=city)
    seen_ids: set[str] = set()
    for spec in COUNTIES:
        _seed_county(rng, spec, city=city, scale=scale, seen_ids=seen_ids, actor=actor)
    return {
        "regions": Region.objects.count(),
        "units": Unit.objects.count(),
        "people": Person.objects.count(),
        "section_leaders": Person.objects.filter(is_section_leader=True).count(),
        "enterprises": Enterprise.objects.count(),
    }


def seed_admins(*, actor, password: str) -> None:
    """The region-scoped admins of `ADMINS` (the city's, each county's, 武康街道's), unless already there."""
    from django.contrib.auth import get_user_model

    taken = set(get_user_model().objects.filter(username__in=[a[0] for a in ADMINS])
                .values_list("username", flat=True))
    for username, code, full_name in ADMINS:
        if username not in taken:
            services.account_create(username=username, role="unit_admin", scope=code, password=password,
                                    full_name=full_name, actor=actor)


def county_org_unit(county: str | None) -> Unit | None:
    """A demo county's Organization Department (which runs its article's evaluations and schemes); None for the
    whole city or a county without one."""
    if not county:
        return None
    return (Unit.objects.filter(region__code=county, kind=UnitKind.PARTY_COMMITTEE, name__endswith="委组织部")
            .order_by("id").first())
