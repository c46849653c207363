"""How apps plug in: the hooks on their AppConfig, as DEVELOPING.md lists them and core reads them."""

import re
import subprocess
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.urls import reverse
from django.utils.module_loading import import_string

from bole.core import plugins
from bole.core.plugins import BoleApp

ROOT = Path(__file__).resolve().parents[1]


def _documented_hooks() -> list[str]:
    text = (ROOT / "docs/DEVELOPING.md").read_text()
    section = text[text.index("## App hooks"):]
    section = section[:section.index("\n## ", 1)]
    return re.findall(r"^\| `(\w+)` \|", section, flags=re.M)


def test_the_documented_hooks_are_the_base_class_attributes():
    declared = [name for name in BoleApp.__annotations__ if not name.startswith("_")]
    assert _documented_hooks() == list(plugins.HOOKS) == declared


def test_every_bole_app_is_a_bole_app_config_in_installed_order():
    names = [a for a in settings.INSTALLED_APPS if a.startswith("bole.")]
    configs = plugins.bole_apps()
    assert [c.name for c in configs] == names
    assert all(isinstance(apps.get_app_config(n.split(".")[-1]), BoleApp) for n in names)
    assert names[-1] == "bole.cockpit"
    seeders = [label for label, _seed in plugins.demo_seeders()]
    assert seeders[-1] == "assessment"  # its demo rounds read the points every mechanism posted


def test_every_declared_hook_resolves():
    for item, policy in plugins.nav_items():
        assert reverse(item.url_name) and item.ability in policy.abilities, item
    groups = [item.group for item, _p in plugins.nav_items()]
    assert groups == sorted(groups, key=list(plugins.NAV_GROUPS).index)
    jobs = plugins.periodic()
    assert {j.name for j in jobs} >= {"core.sessions", "core.rate_counters", "evaluation.mix", "cases.sweep"}
    assert all(callable(j.resolve()) and j.every > 0 for j in jobs)
    assert set(plugins.task_providers()) == {"manual", "cases", "challenges", "project_milestones"}
    declared = [p for app in plugins.bole_apps() for p in app.pickers]
    assert len(plugins.pickers()) >= len(declared)  # a dict path holds several
    assert set(plugins.registers()) == {"regions", "units", "people", "enterprises", "unit-scores", "task-tallies",
                                        "manual-values", "talents", "experts"}
    for app in plugins.bole_apps():
        for fig in app.figures:
            assert fig.group in plugins.FIGURE_TEAMS and callable(fig.resolve()), fig


def test_picker_names_are_unique_across_apps():
    names = []
    for app in plugins.bole_apps():
        for dotted in app.pickers:
            found = import_string(dotted)
            many = found.values() if isinstance(found, dict) else [found]
            names += [s.name for s in many]
    assert len(names) == len(set(names)), names


def test_figures_gather_every_app_with_unique_keys(db, users):
    from bole.core import figures

    gathered = figures.gather(user=users["admin"], period="2026")
    keys = [f.key for _team, m in gathered for f in m.figures]
    assert len(keys) == len(set(keys)), keys
    assert {m.key for _team, m in gathered} == {"evaluation", "ledger", "cases", "challenges", "projects",
                                                "community", "awards", "growth", "talent", "assessment",
                                                "vouchers", "villages", "training", "pairing"}
    assert {"challenge_holders", "key_projects", "project_leaders", "difficulties_solved", "major_projects",
            "major_investment_yi", "award_winners", "growth_records", "catchall_problems", "home_branches",
            "talents", "red_creators", "household_income_change"} <= set(keys)
    assert all(f.kind in {figures.FLOW, figures.STOCK} and f.label and f.source and f.url
               for _team, m in gathered for f in m.figures)


def test_no_module_is_found_by_name():
    """Core reads the apps' declarations; nothing imports `bole.<app>.<module>` from a name it builds."""
    out = subprocess.run(["grep", "-rlE", r"import_module|find_spec|getattr\(import", str(ROOT / "src/bole")],
                         capture_output=True, text=True).stdout.split()
    allowed = {"core/management/commands/bench.py"}  # `bole bench NAME` runs the benchmark named on the line
    assert {str(Path(p).relative_to(ROOT / "src/bole")) for p in out} <= allowed
