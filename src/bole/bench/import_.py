"""`bole bench import`: a 100,000-person .xlsx validated and imported, against django-import-export
importing the same file in the same run. Each importer runs in its own process on a fresh SQLite
database so time and peak memory are its own."""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HEADERS = ["姓名", "身份证号", "性别", "出生日期", "手机号码", "所在单位", "职务", "职级", "政治面貌", "干部", "党员"]
TARGET_S, TARGET_MB = 60.0, 1024.0


def make_file(path: Path, rows: int, seed: int = 1) -> None:
    """A realistic people sheet with valid, unique ID numbers spread over the demo county's units."""
    from openpyxl import Workbook

    from bole.org.demo import DEPARTMENTS, GIVEN, SURNAMES
    from bole.org.validators import id_check_char

    rng = random.Random(seed)
    units = [name for name, _short, _kind in DEPARTMENTS]
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("人员")
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
        name = rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN)
        ws.append([name, idn, "男" if int(idn[16]) % 2 else "女", birth, f"138{rng.randrange(10**8):08d}",
                   rng.choice(units), "科员", "一级科员", "中共党员", "是", "是"])
    wb.save(path)


def _setup_db() -> object:
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from bole.org import services
    from bole.org.choices import RegionKind
    from bole.org.demo import COUNTY, DEPARTMENTS

    admin = services.account_create(username="admin", role="admin", password="bench-pass-1", actor=None)
    county = services.region_create(actor=admin, code=COUNTY[0], name=COUNTY[1], kind=RegionKind.COUNTY)
    for name, short, kind in DEPARTMENTS:
        services.unit_create(actor=admin, name=name, short_name=short, kind=kind, region=county)
    return admin


def timed_register_import(register, path: Path, *, admin, model) -> dict:
    """The register import of the workbook at `path`, timed: seconds, rows stored, the first issues."""
    from bole.core.registers import import_register

    start = time.perf_counter()
    report = import_register(register=register, data=path.read_bytes(), actor=admin, dry_run=False)
    elapsed = time.perf_counter() - start
    return {"seconds": elapsed, "ok": report.ok, "created": report.created, "stored": model.objects.count(),
            "issues": [i.as_text() for i in report.issues[:5]]}


def timed_resource_import(resource, path: Path, *, model) -> dict:
    """django-import-export's import of the same workbook with `resource`, timed the same way."""
    import tablib

    start = time.perf_counter()
    with path.open("rb") as fh:
        dataset = tablib.Dataset().load(fh.read(), format="xlsx")
    result = resource.import_data(dataset, dry_run=False, raise_errors=False)
    elapsed = time.perf_counter() - start
    return {"seconds": elapsed, "ok": not result.has_errors() and not result.has_validation_errors(),
            "stored": model.objects.count()}


def run_worker(module: str, kind: str, path: Path) -> dict:
    """Run `python -m module kind path` on a fresh SQLite data directory; its last line of output (JSON)."""
    with tempfile.TemporaryDirectory(prefix="bole-bench-") as data_dir:
        env = {**os.environ, "BOLE_DATA_DIR": data_dir, "DJANGO_SETTINGS_MODULE": "bole.settings"}
        env.pop("DATABASE_URL", None)
        out = subprocess.run([sys.executable, "-m", module, kind, str(path)],  # noqa: S603
                             env=env, capture_output=True, text=True, check=False)
        if out.returncode != 0:
            raise RuntimeError(f"{kind} worker failed:\n{out.stderr[-3000:]}")
        return json.loads(out.stdout.strip().splitlines()[-1])


def _worker_bole(path: Path) -> dict:
    from bole.org.models import Person
    from bole.org.registers import PEOPLE

    return timed_register_import(PEOPLE, path, admin=_setup_db(), model=Person)


def _worker_die(path: Path) -> dict:
    """django-import-export as a department would configure it: a ModelResource keyed by ID number."""
    from import_export import fields, resources, widgets

    from bole.org.models import Person, Unit, id_number_digest, phone_digest

    class DigestWidget(widgets.CharWidget):
        """ID numbers are stored encrypted: rows are matched by the number's digest, as the register does."""

        def clean(self, value, row=None, **kwargs):
            return id_number_digest(str(value))

    class PersonResource(resources.ModelResource):
        name = fields.Field(attribute="name", column_name="姓名")
        id_number = fields.Field(attribute="id_number", column_name="身份证号")
        id_digest = fields.Field(attribute="id_digest", column_name="身份证号", widget=DigestWidget())
        birth_date = fields.Field(attribute="birth_date", column_name="出生日期", widget=widgets.DateWidget())
        phone = fields.Field(attribute="phone", column_name="手机号码")
        unit = fields.Field(attribute="unit", column_name="所在单位", widget=widgets.ForeignKeyWidget(Unit, "name"))
        position = fields.Field(attribute="position", column_name="职务")

        class Meta:
            model = Person
            import_id_fields = ("id_digest",)
            fields = ("name", "id_number", "id_digest", "birth_date", "phone", "unit", "position")

        def before_save_instance(self, instance, row, **kwargs):
            # The register needs these; derive them the cheapest way so the baseline is not handicapped.
            instance.gender = "M" if int(instance.id_number[16]) % 2 else "F"
            instance.id_tail = instance.id_number[-4:]
            instance.phone_digest = phone_digest(instance.phone or "")

    _setup_db()
    return timed_resource_import(PersonResource(), path, model=Person)


def run(*, quick: bool = False, rows: int | None = None, log=print) -> dict:
    rows = rows or (5_000 if quick else 100_000)
    with tempfile.TemporaryDirectory(prefix="bole-bench-file-") as tmp:
        path = Path(tmp) / f"people-{rows}.xlsx"
        t0 = time.perf_counter()
        make_file(path, rows)
        log(f"generated {rows:,} rows ({path.stat().st_size / 1e6:.1f} MB) in {time.perf_counter() - t0:.1f} s")
        ours = run_worker("bole.bench.import_", "bole", path)
        log(f"bole: {ours['seconds']:.1f} s, peak {ours['peak_mb']:.0f} MB, stored {ours['stored']:,}")
        theirs = run_worker("bole.bench.import_", "die", path)
        log(f"django-import-export: {theirs['seconds']:.1f} s, stored {theirs['stored']:,}")
    scale = 100_000 / rows
    return {
        "rows": rows,
        "import_100k_s": round(ours["seconds"] * scale, 2),
        "import_peak_mb": round(ours["peak_mb"], 1),
        "django_import_export_100k_s": round(theirs["seconds"] * scale, 2),
        "ratio_vs_django_import_export": round(theirs["seconds"] / ours["seconds"], 2),
        "target_import_s": TARGET_S,
        "target_peak_mb": TARGET_MB,
        "meets_targets": ours["seconds"] * scale < TARGET_S and ours["peak_mb"] < TARGET_MB and ours["ok"],
        "stored_ok": ours["stored"] == rows and theirs["stored"] == rows,
    }


def _main() -> None:
    import django

    kind, path = sys.argv[1], Path(sys.argv[2])
    django.setup()
    result = _worker_bole(path) if kind == "bole" else _worker_die(path)
    result["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    _main()
