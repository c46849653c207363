"""How an app plugs in: everything it adds is declared on its AppConfig (a `BoleApp`), and core reads it here.

An app's `apps.py` subclasses `BoleApp` and fills in class attributes: dotted paths (read when first asked for,
never at import) or small declaration objects holding them. The apps are the `BoleApp` configs of
INSTALLED_APPS, in that order (the menu's order within a group, the URL order, the demo's order). Nothing here
finds a module by its name, and no app changes another app's objects: core asks, the app answers.

    urls             module path whose `urlpatterns` are included at `/`             -> urlpatterns()
    api              path of a ninja Router mounted at /api/v1/                       -> routers()
    policy           path of the app's Policy; its nav entries ask `policy.may(user, ability)`
    nav              [Nav(label, url_name, group, ability="menu", order=50)]         -> nav_items()
    demo             path of `seed(*, scale, seed, actor, password, **kw) -> dict`    -> demo_seeders()
    periodic         [Periodic(name, every, func)]                                   -> periodic()
    task_providers   [TaskProvider(name, label, func)]  (个人任务完成率 sources)       -> task_providers()
    metrics          [Metric(code, label, func, records="")]  (机制数据 indicator sources)  -> metrics()
    pickers          paths of `org.pickers.PickSource` objects (or dicts/lists of them)  -> pickers()
    registers        paths of `core.registers.Register` objects (bole import/export) -> registers()
    person_sections  paths of `(request, person) -> Section | None` (the person page)  -> person_sections()
    tiles            [Tile(func, where)], func(user) -> cards or Sections (TILE_PLACES) -> tiles(where, user)
    figures          [Figures(team, func)], func(*, user, period) -> [figures.Figure]  -> figure_providers()
    towns            paths of `func(*, county, period) -> [figures.TownColumn]` (镇街赛马榜) -> town_columns()
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from django.apps import AppConfig, apps
from django.urls import include, path
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

# Menu groups, in menu order: an entry names one of these keys.
# The menu's groups, in menu order: the three teams the department's work is organised by (干部, 基层, 人才), then
# the registers and the system pages. A group the user has no entry in is not shown.
NAV_GROUPS = {
    "cadres": _("干部队伍"),
    "grassroots": _("基层治理"),
    "talent": _("人才队伍"),
    "registers": _("名册"),
    "system": _("系统"),
}


# The menu groups figures belong to: the three teams.
FIGURE_TEAMS = frozenset({"cadres", "grassroots", "talent"})


@dataclass(frozen=True)
class Nav:
    """A menu entry: shown to a user for whom the app's Policy answers `may(user, ability)`."""

    label: Any
    url_name: str
    group: str
    ability: str = "menu"
    order: int = 50  # place within the group (smaller first); equal orders keep app order


@dataclass(frozen=True)
class Periodic:
    """A job run every `every` seconds by the scheduler; `func` (a dotted path) takes no argument and is safe to
    run again (idempotent)."""

    name: str
    every: int
    func: str
    label: str = ""  # what staff read on the jobs page (中文, lazily translated)

    def resolve(self) -> Callable[[], Any]:
        return import_string(self.func)


@dataclass(frozen=True)
class TaskProvider:
    """A source of 个人任务完成率 counts: `func(person_ids, period) -> (completed, assigned)`, two int arrays
    aligned with the sorted person ids (see `bole.core.taskcounts.align`)."""

    name: str
    label: Any
    func: str

    def resolve(self) -> Callable:
        return import_string(self.func)


@dataclass(frozen=True)
class Metric:
    """A figure per person and period an assessment indicator of kind 机制数据 can take its values from:
    `func(person_ids, period) -> float array` aligned with the sorted `person_ids` (NaN where the person has none),
    with one or a few grouped queries. `records` (optional) is `func(person_id, period) -> (headers, rows)`: the
    records behind one person's value, shown on the assessment's explanation page."""

    code: str
    label: Any
    func: str
    records: str = ""

    def resolve(self) -> Callable:
        return import_string(self.func)

    def resolve_records(self) -> Callable | None:
        return import_string(self.records) if self.records else None


@dataclass(frozen=True)
class Tile:
    """What an app puts on the home page, in the user's scope; `func(user)` returns a list whose kind depends on
    `where` (one of TILE_PLACES):

    "home"    register cards {"label", "count", "url"} (the staff's shortcuts)
    "todo"    cards {"label", "count", "url"} of what waits for this user to act (a card with count 0 is dropped)
    "alerts"  cards {"label", "count", "url"} of what has gone red (dropped at 0)
    "mine"    `Section`s of `Line`s about the user's own person or enterprise (points, tasks, cases, seats)
    """

    func: str
    where: str = "home"


TILE_PLACES = ("home", "todo", "alerts", "mine")


@dataclass(frozen=True)
class Line:
    """One line of a home-page section: what, where it leads, a note on the right (a date, a state), and a level
    ("", "ok", "warn", "danger") that colours the note."""

    text: Any
    url: str = ""
    note: Any = ""
    level: str = ""

    def __str__(self) -> str:
        return str(self.text)


@dataclass(frozen=True)
class Figures:
    """Figures counted from an app's records in the user's scope: `func(*, user, period) -> [figures.Figure]`,
    `period` a `figures.Span`. `group` is the team they belong to (a key of FIGURE_TEAMS); `bole.core.figures`
    gathers them for the cockpit, the big screen, the statistics pages and /api/v1/stats/."""

    group: str
    func: str

    def resolve(self) -> Callable[..., list]:
        return import_string(self.func)


@dataclass
class Section:
    """A row an app adds to the person page: a label, a few lines, and a link to the rest."""

    label: Any
    items: list = field(default_factory=list)
    url: str = ""
    link: Any = ""


class BoleApp(AppConfig):
    """An app of Bole: the class attributes below are everything it adds (see the module docstring)."""

    default = False  # this base is never an app's config; every subclass is (see __init_subclass__)

    urls: str | None = None
    api: str | None = None
    policy: str | None = None
    nav: Sequence[Nav] = ()
    demo: str | None = None
    periodic: Sequence[Periodic] = ()
    task_providers: Sequence[TaskProvider] = ()
    metrics: Sequence[Metric] = ()
    pickers: Sequence[str] = ()
    registers: Sequence[str] = ()
    person_sections: Sequence[str] = ()
    tiles: Sequence[Tile] = ()
    figures: Sequence[Figures] = ()
    towns: Sequence[str] = ()

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        # Django picks the one AppConfig of an apps.py whose `default` is not False; importing this base there
        # must not make it a candidate, and its subclasses must stay one.
        if "default" not in cls.__dict__:
            cls.default = True


# The hooks an app may declare, in the order DEVELOPING.md lists them (a test holds the two together).
HOOKS = ("urls", "api", "policy", "nav", "demo", "periodic", "task_providers", "metrics", "pickers", "registers",
         "person_sections", "tiles", "figures", "towns")


def bole_apps() -> list[BoleApp]:
    """Every installed BoleApp, in INSTALLED_APPS order."""
    return [c for c in apps.get_app_configs() if isinstance(c, BoleApp)]


def urlpatterns() -> list:
    """Every app's URL patterns, included at `/` in app order."""
    return [path("", include(app.urls)) for app in bole_apps() if app.urls]


def routers() -> list:
    """Every app's API router (ninja), in app order."""
    return [import_string(app.api) for app in bole_apps() if app.api]


@cache
def nav_items() -> tuple[tuple[Nav, Any], ...]:
    """(entry, policy) of every menu entry, by group then app order (read once: the apps do not change while the
    process runs)."""
    order = list(NAV_GROUPS)
    items = [(item, import_string(app.policy)) for app in bole_apps() for item in app.nav]
    for item, _policy in items:
        if item.group not in NAV_GROUPS:
            raise ValueError(f"nav entry {item.url_name}: unknown group {item.group!r}; one of {order}")
    return tuple(sorted(items, key=lambda pair: (order.index(pair[0].group), pair[0].order)))


def demo_seeders() -> list[tuple[str, Callable[..., dict]]]:
    """(app label, seed) of every app with a demo seed, in app order."""
    return [(app.label, import_string(app.demo)) for app in bole_apps() if app.demo]


def periodic() -> list[Periodic]:
    """Every app's periodic jobs, in app order."""
    return [job for app in bole_apps() for job in app.periodic]


def task_providers() -> dict[str, tuple[Any, Callable]]:
    """name -> (label, provider) of every declared task source."""
    return {p.name: (p.label, p.resolve()) for app in bole_apps() for p in app.task_providers}


def metrics() -> dict[str, Metric]:
    """code -> Metric of every app's 机制数据 sources, in app order."""
    return {m.code: m for app in bole_apps() for m in app.metrics}


@cache
def pickers() -> dict[str, Any]:
    """name -> PickSource of every app's pickers (a path may also name a dict or list of them)."""
    out = {}
    for app in bole_apps():
        for dotted in app.pickers:
            found = import_string(dotted)
            many = found.values() if isinstance(found, dict) else found if isinstance(found, list | tuple) else [found]
            out.update((s.name, s) for s in many)
    return out


@cache
def registers() -> dict[str, Any]:
    """key -> Register of every app's Excel registers (`bole import` / `bole export`)."""
    found = [import_string(dotted) for app in bole_apps() for dotted in app.registers]
    return {r.key: r for r in found}


def person_sections(request, person) -> list[Section]:
    """The rows the apps add to a person's page, for this user (an app answers None to add nothing)."""
    out = []
    for app in bole_apps():
        for dotted in app.person_sections:
            section = import_string(dotted)(request, person)
            if section is not None:
                out.append(section)
    return out


def tiles(where: str, user) -> list:
    """What every app shows the user at one place of the home page (`Tile.where`), in app order; cards with a
    count of 0 are left out of "todo" and "alerts"."""
    if where not in TILE_PLACES:
        raise ValueError(f"unknown tile place {where!r}; one of {TILE_PLACES}")
    out = [item for app in bole_apps() for tile in app.tiles if tile.where == where
           for item in import_string(tile.func)(user)]
    if where in {"todo", "alerts"}:
        out = [card for card in out if card["count"]]
    return out


def town_columns() -> list[Callable[..., list]]:
    """The functions giving the town comparison's columns (镇街赛马榜), in app order."""
    return [import_string(path) for app in bole_apps() for path in app.towns]


def figure_providers() -> list[tuple[BoleApp, Figures]]:
    """(app, declaration) of every app's figures, in app order (`bole.core.figures` calls them)."""
    out = []
    for app in bole_apps():
        for fig in app.figures:
            if fig.group not in FIGURE_TEAMS:
                raise ValueError(f"figures of {app.label}: unknown team {fig.group!r}; one of {sorted(FIGURE_TEAMS)}")
            out.append((app, fig))
    return out
