"""Register pages (configuration of the generic views) and the org tree."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from bole.core import plugins
from bole.core import views as generic
from bole.core.middleware import body_limit
from bole.core.params import parse_id
from bole.core.views import Filter, RegisterPages

from . import forms, pickers, selectors, services
from .choices import Industry, RegionLevel, UnitKind
from .models import Unit
from .permissions import policy
from .registers import ENTERPRISES, PEOPLE, REGIONS, UNITS


def _towns(user):
    return [(r.code, r.name) for r in selectors.region_list(user=user).filter(level=RegionLevel.TOWN)]


def _unit_nodes(user) -> list[tuple[str, str]]:
    """The units a list filters by: those at the top of the user's scope and those with sub-units (a town, a
    department with offices), each standing for its subtree; the many leaves are found through their parent."""
    units = selectors.unit_list(user=user).filter(is_active=True)
    nodes = units.filter(Q(parent__isnull=True) | Q(children__isnull=False) | ~Q(parent__in=units)).distinct()
    return [(str(pk), n) for pk, n in nodes.order_by("path").values_list("pk", "name")]


def _in_unit(qs, value: str):
    """People of a unit and its sub-units."""
    path = Unit.objects.filter(pk=parse_id(value, "unit")).values_list("path", flat=True).first()
    return qs.filter(unit__path__startswith=path) if path else qs.none()


def _region_filter(field):
    return Filter("region", _("镇街"), _towns, lambda qs, v: qs.filter(**{f"{field}__startswith": v}))


_FLAG_OPTIONS = [
    ("section_leader", _("科级领导干部")),
    ("young_cadre", _("选调生")),
    ("cadre", _("干部")),
    ("party_member", _("党员")),
    ("talent", _("人才")),
    ("expert", _("专家")),
]


def _person_extra(request, person):
    """The full ID number and phone (for roles allowed to see them, only on request, logged), and the rows other
    apps add to the person page (`person_sections` in their AppConfig)."""
    extra = {"sections": plugins.person_sections(request, person)}
    may_reveal = policy.may(request.user, "view_sensitive", person)
    if request.GET.get("reveal") == "id" and may_reveal:
        extra["revealed"] = services.person_reveal(person=person, actor=request.user)
    else:
        extra["can_reveal"] = may_reveal
    return extra


PAGES = {
    "people": RegisterPages(
        register=PEOPLE,
        url_name="people",
        selector=selectors.person_list,
        list_columns=[
            (_("姓名"), "name", "name_pinyin"),
            (_("性别"), "get_gender_display", ""),
            (_("出生日期"), "birth_date", "birth_date"),
            (_("身份证号"), "id_masked", ""),
            (_("所在单位"), "unit.name", "unit__path"),
            (_("职务"), "position", ""),
            (_("职级"), "get_rank_display", "rank"),
            (_("政治面貌"), "get_political_status_display", ""),
        ],
        detail_fields=[
            (_("姓名"), lambda o: o.name),
            (_("性别"), lambda o: o.get_gender_display()),
            (_("出生日期"), lambda o: o.birth_date),
            (_("身份证号"), lambda o: o.id_masked),
            (_("手机号码"), lambda o: o.phone_masked),
            (_("所在单位"), lambda o: o.unit),
            (_("职务"), lambda o: o.position),
            (_("职级"), lambda o: o.get_rank_display()),
            (_("政治面貌"), lambda o: o.get_political_status_display()),
            (_("身份标记"), lambda o: "、".join(
                str(label) for flag, label in _FLAG_OPTIONS if getattr(o, f"is_{flag}")) or "—"),
            (_("状态"), lambda o: _("在册") if o.is_active else _("已停用")),
        ],
        create_form=forms.PersonForm,
        edit_form=forms.PersonEditForm,
        create=services.person_create,
        update=lambda obj, **kw: services.person_update(person=obj, **kw),
        set_active=lambda obj, **kw: services.person_set_active(person=obj, **kw),
        filters=[
            _region_filter("unit__region__code"),
            Filter("unit", _("单位"), _unit_nodes, _in_unit),
            Filter("flag", _("身份"), lambda u: [(k, str(v)) for k, v in _FLAG_OPTIONS],
                   lambda qs, v: qs.filter(**{f"is_{v}": True}) if v in dict(_FLAG_OPTIONS) else qs),
        ],
        default_sort="unit__path",
        detail_extra=_person_extra,
        reveal_url=lambda person: reverse("people-detail", args=[person.pk]) + "?reveal=id",
    ),
    "units": RegisterPages(
        register=UNITS,
        url_name="units",
        selector=selectors.unit_list,
        list_columns=[
            (_("单位名称"), "name", "name_pinyin"),
            (_("单位类型"), "get_kind_display", "kind"),
            (_("所在区划"), "region.name", "region__code"),
            (_("上级单位"), "parent", ""),
        ],
        detail_fields=[
            (_("单位名称"), lambda o: o.name),
            (_("简称"), lambda o: o.short_name),
            (_("单位类型"), lambda o: o.get_kind_display()),
            (_("所在区划"), lambda o: f"{o.region.name}（{o.region.code}）"),
            (_("上级单位"), lambda o: o.parent or "—"),
            (_("在册人数"), lambda o: o.people.filter(is_active=True).count()),
        ],
        create_form=forms.UnitForm,
        edit_form=forms.UnitForm,
        create=services.unit_create,
        update=lambda obj, **kw: services.unit_update(unit=obj, **kw),
        set_active=lambda obj, **kw: services.unit_set_active(unit=obj, **kw),
        filters=[
            _region_filter("region__code"),
            Filter("kind", _("类型"), lambda u: [(k, str(v)) for k, v in UnitKind.choices],
                   lambda qs, v: qs.filter(kind=v)),
        ],
        default_sort="path",
    ),
    "enterprises": RegisterPages(
        register=ENTERPRISES,
        url_name="enterprises",
        selector=selectors.enterprise_list,
        list_columns=[
            (_("企业名称"), "name", "name_pinyin"),
            (_("统一社会信用代码"), "credit_code", "credit_code"),
            (_("行业"), "get_industry_display", "industry"),
            (_("所在区划"), "region.name", "region__code"),
            (_("联系人"), "contact_name", ""),
        ],
        detail_fields=[
            (_("企业名称"), lambda o: o.name),
            (_("统一社会信用代码"), lambda o: o.credit_code),
            (_("行业"), lambda o: o.get_industry_display()),
            (_("所在区划"), lambda o: f"{o.region.name}（{o.region.code}）"),
            (_("联系人"), lambda o: o.contact_name),
            (_("联系电话"), lambda o: o.contact_phone),
            (_("地址"), lambda o: o.address),
        ],
        create_form=forms.EnterpriseForm,
        edit_form=forms.EnterpriseEditForm,
        create=services.enterprise_create,
        update=lambda obj, **kw: services.enterprise_update(enterprise=obj, **kw),
        set_active=lambda obj, **kw: services.enterprise_set_active(enterprise=obj, **kw),
        filters=[
            _region_filter("region__code"),
            Filter("industry", _("行业"), lambda u: [(k, str(v)) for k, v in Industry.choices],
                   lambda qs, v: qs.filter(industry=v)),
        ],
        default_sort="region__code",
    ),
    "regions": RegisterPages(
        register=REGIONS,
        url_name="regions",
        selector=selectors.region_list,
        list_columns=[
            (_("区划代码"), "code", "code"),
            (_("名称"), "name", "name_pinyin"),
            (_("层级"), "get_level_display", "level"),
            (_("类型"), "get_kind_display", "kind"),
            (_("上级区划"), "parent", ""),
        ],
        detail_fields=[
            (_("区划代码"), lambda o: o.code),
            (_("名称"), lambda o: o.name),
            (_("层级"), lambda o: o.get_level_display()),
            (_("类型"), lambda o: o.get_kind_display()),
            (_("上级区划"), lambda o: o.parent or "—"),
            (_("下级区划数"), lambda o: o.children.count()),
        ],
        create_form=forms.RegionForm,
        edit_form=forms.RegionForm,
        create=services.region_create,
        update=lambda obj, **kw: services.region_update(region=obj, **kw),
        set_active=lambda obj, **kw: services.region_set_active(region=obj, **kw),
        filters=[
            Filter("level", _("层级"), lambda u: [(k, str(v)) for k, v in RegionLevel.choices],
                   lambda qs, v: qs.filter(level=v)),
        ],
        default_sort="code",
    ),
}
for _pages in PAGES.values():
    _pages.index = "bole.org.views.PAGES"  # how a background export finds the pages again


def page_view(kind: str, name: str):
    """Bind a generic view to one register's configuration."""
    func = getattr(generic, f"{kind}_view")

    @login_required
    def view(request, **kwargs):
        return func(request, PAGES[name], **kwargs)

    view.__name__ = f"{name}_{kind}"
    return body_limit("BOLE_IMPORT_MAX_BYTES")(view) if kind == "import" else view


@login_required
def tree(request):
    """组织树: regions in scope, expanding to units and people counts (HTMX loads a region's units)."""
    code = request.GET.get("region")
    if code:
        region = selectors.region_list(user=request.user).filter(code=code).first()
        if region is None:
            raise PermissionDenied
        units = selectors.unit_list(user=request.user).filter(region=region).order_by("path")
        return render(request, "org/_tree_units.html", {"region": region, "units": units})
    return render(request, "org/tree.html", {"nodes": selectors.region_tree(user=request.user)})


@login_required
def counties(request):
    """区县对比: the counties in the user's scope side by side, with a total row when there are several."""
    policy.require(request.user, "compare")
    rows = selectors.county_figures(user=request.user)
    total = {k: sum(r[k] for r in rows) for k in selectors.COUNTY_COLUMNS} if len(rows) > 1 else None
    return render(request, "org/counties.html", {"rows": rows, "total": total})


@login_required
def pick(request, source):
    """HTMX partial of a picker: matches in the user's scope for what was typed in the `<field>_q` text box."""
    src = plugins.pickers().get(source)
    if src is None:
        raise Http404
    policy.require(request.user, src.ability)
    q = request.GET.get("q") or next((v for k, v in request.GET.items() if k.endswith("_q")), "")
    found, more = pickers.pick_matches(source=src, user=request.user, q=q)
    matches = [(o.pk, str(o), src.describe(o), src.label(o)) for o in found]
    return render(request, "org/_pick_results.html", {"matches": matches, "more": more, "q": q.strip()})


def home_cards(user) -> list[dict]:
    """Counts in the user's scope for the dashboard (one query each)."""
    cards = []
    for key, label, sel in (
        ("regions", _("行政区划"), selectors.region_list),
        ("units", _("单位"), selectors.unit_list),
        ("people", _("人员"), selectors.person_list),
        ("enterprises", _("企业"), selectors.enterprise_list),
    ):
        qs = sel(user=user)
        if qs.query.is_empty():
            continue
        cards.append({"label": label, "count": qs.filter(is_active=True).count(), "url": reverse(f"{key}-list")})
    leaders = selectors.person_list(user=user).filter(is_active=True, is_section_leader=True)
    if not leaders.query.is_empty():
        cards.append({"label": _("科级领导干部"), "count": leaders.count(),
                      "url": reverse("people-list") + "?flag=section_leader"})
    return cards
