import json
import keyword
import time
from importlib import import_module
from importlib.util import find_spec

from django.core.management.base import BaseCommand, CommandError

from bole.core.progress import Bar


class Command(BaseCommand):
    help = "Run a benchmark: bole bench NAME [--json] [--quick]; NAME is a module in bole.bench (import, evaluation, ...)"

    def add_arguments(self, parser):
        parser.add_argument("name")
        parser.add_argument("--json", action="store_true", help="print one JSON object with the figures")
        parser.add_argument("--quick", action="store_true", help="smaller sizes, for a smoke run")
        parser.add_argument("--rows", type=int, default=None)

    def handle(self, *args, name, json: bool, quick: bool, rows, **opts):
        base = name.replace("-", "_")
        module_name = f"bole.bench.{base}_" if keyword.iskeyword(base) else f"bole.bench.{base}"
        if not find_spec(module_name):
            raise CommandError(f"no benchmark named {name}")
        module = import_module(module_name)

        with Bar(unit="步") as bar:
            bar.phase(f"bench {name}")

            def log(msg: str) -> None:
                bar.bar.set_postfix_str(str(msg)[:60])
                bar.advance()
                if not json:
                    bar.error(msg)

            figures = module.run(quick=quick, rows=rows, log=log)
            figures["calibration_s"] = calibration_s()
        if json:
            self.stdout.write(_dumps(figures))
        else:
            for key, value in figures.items():
                self.stdout.write(f"{key:36s} {value}")


def calibration_s(repeats: int = 3) -> float:
    """The time of a fixed pure-Python loop on this machine (the best of a few runs): machines differ about 2× in
    speed, so every benchmark prints it beside its figures to compare runs on different machines."""
    best = float("inf")
    for _ in range(repeats):
        t0 = time.perf_counter()
        total = 0
        for i in range(2_000_000):
            total += i * i % 7
        best = min(best, time.perf_counter() - t0)
    return round(best, 4)


def _dumps(figures):
    return json.dumps(figures, ensure_ascii=False)
