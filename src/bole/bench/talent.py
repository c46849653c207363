"""`bole bench talent`: the talent register at county scale.

1. Import: a 163,000-row talent workbook (德清县's 16.3万) validated as a whole and written in bulk by the register
   import, against django-import-export (a ModelResource keyed by the ID number's digest, bulk mode) in the same
   run, each in its own process on a fresh SQLite database. The baseline imports the first tenth of the same rows
   (the same generator, so the same 16,300 rows) and its time is scaled by ten: the whole file ran for more than
   50 minutes. Its time per row does not fall with more rows (it validates and saves row by row).
2. List and search: 1.6 million talents COPY'd into PostgreSQL, `bole serve`, 32 clients each running a bounded
   loop over the list page's mix (newest first, filters, name / pinyin / initials / field / employer search, a deep
   keyset page, a town's scoped list); p50/p95 of the latencies.

Targets: import < 60 s; list/search p95 < 150 ms.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from . import pg
from .cases import CLIENTS, _Client, _free_port, _load, _login, _wait_up, serve
from .import_ import run_worker, timed_register_import, timed_resource_import

DB_NAME = "bole_bench_talent"
BASELINE_PART = 10  # the baseline imports the first tenth of the rows (see above)
PASSWORD = "bench-pass-2024"  # noqa: S105  (a throwaway database)
HEADERS = ["姓名", "身份证号", "手机号码", "人才层次", "专业领域", "行业", "学历", "来源", "用人单位", "所在区划", "到岗日期"]
LEVELS = ["国家级", "省级", "市级", "县级", "县特色人才"]
LEVEL_W = [3, 20, 80, 300, 597]
EDU = ["博士研究生", "硕士研究生", "大学本科", "大专", "其他"]
EDU_W = [3, 12, 50, 25, 10]
FIELDS = [("智能制造", "制造业"), ("生物医药", "制造业"), ("地理信息", "信息技术服务业"), ("数字经济", "信息技术服务业"),
          ("现代农业", "农林牧渔业"), ("乡村旅游", "住宿和餐饮业"), ("工业设计", "科学研究和技术服务")]
TOWNS = ["330521001", "330521002", "330521003", "330521100", "330521101", "330521102", "330521103", "330521104"]


def make_file(path: Path, rows: int, seed: int = 1) -> None:
    """A realistic talent sheet: valid unique ID numbers, the demo county's towns, a quarter without employer."""
    from openpyxl import Workbook

    from bole.org.demo import GIVEN, SURNAMES
    from bole.org.validators import id_check_char

    rng = random.Random(seed)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("人才")
    ws.append(HEADERS)
    seen: set[str] = set()
    for _i in range(rows):
        while True:
            birth = dt.date(rng.randint(1960, 2002), rng.randint(1, 12), rng.randint(1, 28))
            first17 = f"330521{birth:%Y%m%d}{rng.randrange(1000):03d}"
            idn = first17 + id_check_char(first17)
            if idn not in seen:
                seen.add(idn)
                break
        field, industry = rng.choice(FIELDS)
        ws.append([rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN), idn, f"138{rng.randrange(10**8):08d}",
                   rng.choices(LEVELS, LEVEL_W)[0], field, industry, rng.choices(EDU, EDU_W)[0],
                   "引进" if rng.random() < 0.45 else "培养", f"德清测试企业{rng.randrange(200)}有限公司"
                   if rng.random() < 0.75 else "", rng.choice(TOWNS),
                   dt.date(2016, 1, 1) + dt.timedelta(days=rng.randrange(3600))])
    wb.save(path)


def _setup_db() -> object:
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from bole.org import services
    from bole.org.choices import RegionKind
    from bole.org.demo import make_credit_code

    admin = services.account_create(username="admin", role="admin", password="bench-pass-1", actor=None)
    county = services.region_create(actor=admin, code="330521", name="德清县", kind=RegionKind.COUNTY)
    towns = [services.region_create(actor=admin, code=c, name=f"镇{c[-3:]}", kind=RegionKind.TOWN, parent=county)
             for c in TOWNS]
    rng = random.Random(3)
    for i in range(200):
        services.enterprise_create(actor=admin, name=f"德清测试企业{i}有限公司", credit_code=make_credit_code(rng, "330521"),
                                   industry="C", region=towns[i % len(towns)])
    return admin


def _worker_bole(path: Path) -> dict:
    from bole.talent.models import Talent
    from bole.talent.registers import TALENTS

    return timed_register_import(TALENTS, path, admin=_setup_db(), model=Talent)


def _worker_die(path: Path) -> dict:
    """django-import-export as a department would set it up: a ModelResource keyed by the ID number's digest,
    foreign keys by name and code, choices by label; bulk mode (its fastest)."""
    from import_export import fields, resources, widgets

    from bole.org.models import Enterprise, Region, id_number_digest
    from bole.org.pinyin import pinyin_keys
    from bole.talent.choices import Education, Origin, TalentLevel
    from bole.talent.models import Talent

    class DigestWidget(widgets.CharWidget):
        def clean(self, value, row=None, **kwargs):
            return id_number_digest(str(value))

    def choice(cls):
        lookup = {str(label): value for value, label in cls.choices}

        class ChoiceWidget(widgets.CharWidget):
            def clean(self, value, row=None, **kwargs):
                return lookup[str(value)]

        return ChoiceWidget()

    class TalentResource(resources.ModelResource):
        name = fields.Field(attribute="name", column_name="姓名")
        id_number = fields.Field(attribute="id_number", column_name="身份证号")
        id_digest = fields.Field(attribute="id_digest", column_name="身份证号", widget=DigestWidget())
        phone = fields.Field(attribute="phone", column_name="手机号码")
        level = fields.Field(attribute="level", column_name="人才层次", widget=choice(TalentLevel))
        field = fields.Field(attribute="field", column_name="专业领域")
        education = fields.Field(attribute="education", column_name="学历", widget=choice(Education))
        origin = fields.Field(attribute="origin", column_name="来源", widget=choice(Origin))
        employer = fields.Field(attribute="employer", column_name="用人单位",
                                widget=widgets.ForeignKeyWidget(Enterprise, "name"))
        region = fields.Field(attribute="region", column_name="所在区划", widget=widgets.ForeignKeyWidget(Region, "code"))
        arrival_date = fields.Field(attribute="arrival_date", column_name="到岗日期", widget=widgets.DateWidget())

        class Meta:
            model = Talent
            import_id_fields = ("id_digest",)
            fields = ("name", "id_number", "id_digest", "phone", "level", "field", "education", "origin", "employer",
                      "region", "arrival_date")
            use_bulk = True
            batch_size = 2000

        def before_save_instance(self, instance, row, **kwargs):
            # The register needs these; derived the cheapest way so the baseline is not handicapped.
            instance.industry = "C"
            instance.region_code = instance.region.code
            instance.name_pinyin, instance.name_initials = pinyin_keys(instance.name)

        def before_import_row(self, row, **kwargs):
            if not row.get("用人单位"):
                row["用人单位"] = None

    _setup_db()
    return timed_resource_import(TalentResource(), path, model=Talent)


# --- list and search at 1.6 million on PostgreSQL ----------------------------------------------------------------

_PREPARE = """
import django
django.setup()
from bole.org.demo import seed_registers
from bole.org.services import account_create
admin = account_create(username="benchadmin", role="admin", password={pw!r}, actor=None)
seed_registers(scale=1, seed=7, actor=admin)
account_create(username="benchtown", role="unit_admin", scope="330521001", password={pw!r}, actor=admin)
"""

_GENERATE = """
import django, random, datetime as dt, time
django.setup()
from django.db import connection
from bole.org.demo import GIVEN, SURNAMES
from bole.org.models import Enterprise, Region
from bole.org.pinyin import pinyin_keys
rng = random.Random(11)
n = {n}
towns = list(Region.objects.filter(code__startswith="330521", level="town").values_list("pk", "code"))
ents = list(Enterprise.objects.filter(region__code__startswith="330521").values_list("pk", "region_id", "region__code"))
codes = dict(Region.objects.values_list("pk", "code"))
fields = ["智能制造", "生物医药", "地理信息", "数字经济", "现代农业", "乡村旅游", "工业设计", "新材料", "检验检测"]
levels = ["national", "provincial", "city", "county", "other"]
lw = [3, 20, 80, 300, 597]
edus = ["doctor", "master", "bachelor", "college", "other"]
ew = [3, 12, 50, 25, 10]
stages = ["recruit", "settle", "serve", "evaluate"]
cols = ("name, name_pinyin, name_initials, gender, id_number, id_digest, phone, level, category, field, industry, "
        "education, origin, employer_id, region_id, region_code, arrival_date, status, stage, stage_since, "
        "left_on, leave_reason, exit_interview, created_at")
now = "2026-12-01T09:00:00+08:00"
t0 = time.perf_counter()
with connection.cursor() as cur:
    raw = cur.connection
    with raw.cursor() as c, c.copy(f"COPY talent_talent ({{cols}}) FROM STDIN") as copy:
        for i in range(n):
            name = rng.choice(SURNAMES) + rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.7 else "")
            full, ini = pinyin_keys(name)
            if ents and rng.random() < 0.75:
                emp, rid, rcode = rng.choice(ents)
            else:
                emp = None
                rid, rcode = rng.choice(towns)
            arrival = dt.date(2016, 1, 1) + dt.timedelta(days=rng.randrange(3900))
            left = rng.random() < 0.1
            copy.write_row((name, full, ini, "", "", "", "", rng.choices(levels, lw)[0], "", rng.choice(fields), "C",
                            rng.choices(edus, ew)[0], "introduced" if rng.random() < 0.45 else "cultivated", emp,
                            rid, rcode, arrival, "left" if left else "active",
                            "left" if left else rng.choice(stages), arrival,
                            arrival + dt.timedelta(days=400) if left else None, "career" if left else "", "", now))
    cur.execute("ANALYZE talent_talent")
print(round(time.perf_counter() - t0, 1))
"""


def _listing(n: int, *, quick: bool, log) -> dict[str, Any]:
    env = pg.env(DB_NAME)
    figures: dict[str, Any] = {"talents_pg": n, "clients": CLIENTS}
    pg.recreate(DB_NAME)
    server = None
    try:
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-m", "bole.cli", "migrate", "-v0"], env=env, check=True,  # noqa: S603
                       capture_output=True, text=True)
        subprocess.run([sys.executable, "-c", _PREPARE.format(pw=PASSWORD)], env=env, check=True,  # noqa: S603
                       capture_output=True, text=True)
        figures["setup_s"] = round(time.perf_counter() - t0, 1)
        log(f"  generating {n:,} talents (COPY)")
        out = subprocess.run([sys.executable, "-c", _GENERATE.format(n=n)], env=env, check=True,  # noqa: S603
                             capture_output=True, text=True)
        figures["generate_s"] = float(out.stdout.strip().splitlines()[-1])
        port = _free_port()
        server = serve(env, port)
        _wait_up(port, server)
        cookies = [_login(port, "benchadmin"), _login(port, "benchtown")]
        warm = _Client(port, cookies[0])
        status, body, _ms = warm.get("/talent/")
        import re

        last = max(int(x) for x in re.findall(r"after=(\d+)", body.decode())) if status == 200 else n
        paths = ["/talent/", "/talent/?q=zhang", "/talent/?q=%E7%8E%8B", "/talent/?q=zw", "/talent/?level=provincial",
                 "/talent/?stage=settle&level=city", "/talent/?q=%E6%99%BA%E8%83%BD",  # 智能 (field)
                 f"/talent/?after={last // 2}", "/talent/?q=wangfang&status=active", "/talent/?origin=introduced",
                 "/talent/?q=%E5%BE%B7%E6%B8%85"]  # 德清 (employer names)
        for p in paths:
            s, _b, _m = warm.get(p)
            if s != 200:
                raise RuntimeError(f"{p} returned {s}")
        lat = _load(port, cookies, paths, 10 if quick else 30, log)
        lat.sort()
        figures["list_requests"] = len(lat)
        figures["list_p50_ms"] = round(statistics.median(lat), 1)
        figures["list_p95_ms"] = round(lat[int(0.95 * (len(lat) - 1))], 1)
        figures["list_max_ms"] = round(lat[-1], 1)
        single = {}
        for p in paths:
            single[p] = round(min(warm.get(p)[2] for _ in range(3)), 1)
        figures["each_path_ms"] = single
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        pg.recreate(DB_NAME, drop_only=True)
    return figures


def run(*, quick: bool = False, rows: int | None = None, log=print) -> dict:
    rows = rows or (5_000 if quick else 163_000)
    figures: dict[str, Any] = {"rows": rows}
    with tempfile.TemporaryDirectory(prefix="bole-bench-file-") as tmp:
        path = Path(tmp) / f"talents-{rows}.xlsx"
        t0 = time.perf_counter()
        make_file(path, rows)
        log(f"generated {rows:,} rows ({path.stat().st_size / 1e6:.1f} MB) in {time.perf_counter() - t0:.1f} s")
        ours = run_worker("bole.bench.talent", "bole", path)
        log(f"bole import: {ours['seconds']:.1f} s, ok={ours['ok']}, stored={ours['stored']}")
        part_rows = max(1, rows // BASELINE_PART)
        part = Path(tmp) / f"talents-{part_rows}.xlsx"
        make_file(part, part_rows)  # the same first rows
        theirs = run_worker("bole.bench.talent", "die", part)
        log(f"django-import-export, {part_rows:,} rows: {theirs['seconds']:.1f} s, ok={theirs['ok']}, "
            f"stored={theirs['stored']}")
    baseline_s = theirs["seconds"] * rows / part_rows
    figures.update({
        "import_s": round(ours["seconds"], 1), "import_ok": ours["ok"], "import_stored": ours["stored"],
        "baseline": f"django-import-export (ModelResource, use_bulk), the first {part_rows:,} rows of the same file, "
                    f"its time scaled to {rows:,}",
        "baseline_rows_timed": part_rows, "baseline_timed_s": round(theirs["seconds"], 1),
        "baseline_s": round(baseline_s, 1), "baseline_ok": theirs["ok"], "baseline_stored": theirs["stored"],
        "speedup": round(baseline_s / ours["seconds"], 2) if ours["seconds"] else None,
    })
    n = 50_000 if quick else 1_600_000
    log(f"list/search at {n:,} talents on PostgreSQL")
    figures.update(_listing(n, quick=quick, log=log))
    figures["targets_met"] = bool(figures["import_s"] < 60 and figures["list_p95_ms"] < 150)
    return figures


if __name__ == "__main__":
    import django

    django.setup()
    kind, file = sys.argv[1], Path(sys.argv[2])
    result = _worker_bole(file) if kind == "bole" else _worker_die(file)
    print(json.dumps(result))
