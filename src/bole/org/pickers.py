"""Search-as-you-type pickers of people and units, for forms that would otherwise list thousands of options.

A picker is a text box and the choices made so far (checked boxes carrying ids). Typing asks
`pick/<source>/` (HTMX) for matches in the user's scope by name, pinyin or initials; choosing one adds it.
Without JavaScript the text box is a plain field: the server resolves what was typed in the same scope.
Either way the field only accepts rows of its source's scoped queryset, so a posted id outside scope fails.

Use: declare `PickField("people")` / `PickMultipleField("people")` on a form, call `bind_pickers(form, user)`
in its `__init__`, and render `{{ form.media }}` in the page head. Sources are named querysets scoped by
the org policy; an app needing a narrower list (young cadres, party members) declares its own in its AppConfig
(`pickers`), and `pick/<source>/` finds it through `bole.core.plugins.pickers()`.

Access: a source names the org policy ability its users need (`pick`: staff); anyone else gets 403 from
`pick/<source>/` and no choices in the field. Sources search names, pinyin and initials; a source with a
`sensitive_search` also finds people by ID tail or phone, only among those whose personal data the user may
see, and each such search is audited. A county-wide source searches names only.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from bole.core.registers import find_rows

from . import selectors
from .models import Person
from .permissions import policy

RESULTS = 10  # matches shown per search; more means "keep typing"
SEPARATORS = re.compile(r"[,，、;；\s]+")


@dataclass(frozen=True)
class PickSource:
    """What a picker searches: the rows a user may choose, how to search them, how to show one."""

    name: str
    choices: Callable[..., QuerySet]  # choices(user=) -> the scoped, active rows
    search: Callable[[QuerySet, str], QuerySet]
    describe: Callable[[object], str]  # the second line of a match (unit, region)
    placeholder: Promise
    outside: Promise  # error for an id outside the choices
    several: Promise  # how to narrow a typed text naming several rows
    ability: str = "pick"  # the org policy ability a user needs to use this source
    # Search by ID tail or phone: (qs, q, user=) -> rows, or None when q is no identifier (see person_find).
    sensitive_search: Callable[..., QuerySet | None] | None = None

    def label(self, obj) -> str:
        extra = self.describe(obj)
        return f"{obj}（{extra}）" if extra else str(obj)

    def rows(self, user) -> QuerySet:
        """The choices of a user allowed to use this source; none for anyone else."""
        rows = self.choices(user=user)
        return rows if policy.may(user, self.ability) else rows.none()

    def find(self, qs: QuerySet, q: str, user) -> QuerySet:
        """Rows of qs matching q: by identifier where the source allows it (audited), else by name."""
        return find_rows(qs, q, user=user, search=self.search, sensitive_search=self.sensitive_search)


def _people(*, user) -> QuerySet:
    return selectors.person_list(user=user).filter(is_active=True)


def _units(*, user) -> QuerySet:
    return selectors.unit_list(user=user).filter(is_active=True)


PEOPLE = PickSource(
    name="people",
    choices=_people,
    search=selectors.person_search,
    describe=lambda p: p.unit.name,
    placeholder=_("搜索姓名、拼音或首字母，如 zs"),
    outside=_("所选人员不在您的管辖范围内或已停用，请重新选择"),
    several=_("请从搜索结果中选择，或输入身份证号后4位"),
    sensitive_search=selectors.person_identifier_search,
)
SECTION_LEADERS = PickSource(
    name="section-leaders",
    choices=lambda *, user: _people(user=user).filter(is_section_leader=True),
    search=selectors.person_search,
    describe=lambda p: p.unit.name,
    placeholder=PEOPLE.placeholder,
    outside=_("所选人员不是您管辖范围内在册的科级领导干部，请重新选择"),
    several=PEOPLE.several,
    sensitive_search=selectors.person_identifier_search,
)
COUNTY_PEOPLE = PickSource(
    # Team members, panel members and mentors may work in any unit of the county, whoever is choosing:
    # searched by name only, by staff and by a cadre forming a challenge team.
    name="county-people",
    choices=lambda *, user: Person.objects.filter(is_active=True).select_related("unit")
    if user is not None and user.is_authenticated else Person.objects.none(),
    search=selectors.person_search,
    describe=lambda p: p.unit.name,
    placeholder=PEOPLE.placeholder,
    outside=_("所选人员不在册或已停用，请重新选择"),
    several=_("请从搜索结果中选择，或输入更完整的姓名"),
    ability="pick_colleagues",
)
UNITS = PickSource(
    name="units",
    choices=_units,
    search=selectors.unit_search,
    describe=lambda u: u.region.name,
    placeholder=_("搜索单位名称、拼音或首字母"),
    outside=_("所选单位不在您的管辖范围内或已停用，请重新选择"),
    several=_("请从搜索结果中选择，或输入完整名称"),
)


def pick_matches(*, source: PickSource, user, q: str, limit: int = RESULTS) -> tuple[list, bool]:
    """Up to `limit` rows of the user's choices matching q (an exact name first), and whether there are more."""
    q = (q or "").strip()
    if not q:
        return [], False
    found = source.find(source.rows(user), q, user).annotate(
        exact=Case(When(name=q, then=Value(0)), default=Value(1), output_field=IntegerField())
    )
    rows = list(found.order_by("exact", "name_pinyin", "pk")[: limit + 1])
    return rows[:limit], len(rows) > limit


class Typed(str):
    """Text typed into a picker's text box, to be resolved on the server (no id was chosen)."""


class PickWidget(forms.Widget):
    """The text box (`<name>_q`), a results list filled by HTMX, and the chosen rows as checked boxes."""

    template_name = "org/_picker.html"

    class Media:
        css = {"all": ["bole/picker.css"]}
        js = ["bole/picker.js"]

    def __init__(self, source: PickSource, *, multiple: bool = False, attrs=None):
        super().__init__(attrs)
        self.source, self.multiple = source, multiple
        self.queryset: QuerySet | None = None  # set by the field with the user's choices

    def use_required_attribute(self, initial) -> bool:
        return False  # a choice may sit in the checked boxes while the text box is empty

    def value_from_datadict(self, data, files, name):
        ids = data.getlist(name) if hasattr(data, "getlist") else [data.get(name)]
        ids = [str(v) for v in ids if v not in (None, "")]
        text = (data.get(f"{name}_q") or "").strip()
        if self.multiple:
            return ids + [Typed(t) for t in SEPARATORS.split(text) if t]
        if text:
            return Typed(text)  # typing replaces an earlier choice
        return ids[0] if ids else None

    def value_omitted_from_data(self, data, files, name) -> bool:
        return name not in data and f"{name}_q" not in data

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        values = value if isinstance(value, list | tuple) else [value]
        typed = [v for v in values if isinstance(v, Typed)]
        ids = [str(getattr(v, "pk", v)) for v in values if v not in (None, "") and not isinstance(v, Typed)]
        chosen = []
        if self.queryset is not None and ids:
            found = {str(o.pk): o for o in self.queryset.filter(pk__in=[i for i in ids if i.isdigit()])}
            chosen = [(found[i].pk, self.source.label(found[i])) for i in dict.fromkeys(ids) if i in found]
        context["widget"].update(
            {
                "chosen": chosen,
                "text": "、".join(typed),
                "multiple": self.multiple,
                "url": reverse("pick", args=[self.source.name]),
                "placeholder": self.source.placeholder,
            }
        )
        return context

    def render(self, name, value, attrs=None, renderer=None):
        # The project's template engine (not the form renderer's) finds templates/org/.
        return mark_safe(render_to_string(self.template_name, self.get_context(name, value, attrs)))  # noqa: S308


class _PickMixin:
    multiple = False

    def __init__(self, source: str | PickSource, **kwargs):
        self.source = NAMED[source] if isinstance(source, str) else source
        kwargs.setdefault("widget", PickWidget(self.source, multiple=self.multiple))
        kwargs.setdefault("help_text", "")
        super().__init__(queryset=None, **kwargs)
        self.error_messages = {
            **self.error_messages,
            "invalid_choice": self.source.outside,
            "invalid_pk_value": self.source.outside,
        }

    def _set_queryset(self, queryset):
        super()._set_queryset(queryset)
        self.widget.queryset = self._queryset

    queryset = property(forms.ModelChoiceField._get_queryset, _set_queryset)

    def bind(self, user) -> None:
        """Limit the choices to what this user may pick."""
        self.user = user
        self.queryset = self.source.rows(user)

    def resolve(self, text: str):
        """The one row a typed text names in the choices (an exact name wins), or a clear error."""
        found = self.source.find(self.queryset, text, getattr(self, "user", None))
        rows = list(found.filter(name=text)[:2]) or list(found[:6])
        if len(rows) == 1:
            return rows[0]
        if not rows:
            raise ValidationError(
                gettext("找不到“%(text)s”：请输入您管辖范围内的名称、拼音或首字母") % {"text": text},
                code="not_found",
            )
        names = "、".join(self.source.label(r) for r in rows[:5])
        raise ValidationError(
            gettext("“%(text)s”对应多个：%(names)s。%(hint)s")
            % {"text": text, "names": names, "hint": self.source.several},
            code="several",
        )

    def label_from_instance(self, obj) -> str:
        return self.source.label(obj)


class PickField(_PickMixin, forms.ModelChoiceField):
    """Choose one person (or unit) by searching; replaces a ModelChoiceField over a large register."""

    def to_python(self, value):
        if isinstance(value, Typed):
            return self.resolve(value)
        return super().to_python(value)


class PickMultipleField(_PickMixin, forms.ModelMultipleChoiceField):
    """Choose several people by searching; replaces a ModelMultipleChoiceField over a large register."""

    multiple = True

    def clean(self, value):
        values = list(value or [])
        ids, errors = [v for v in values if not isinstance(v, Typed)], []
        for text in (v for v in values if isinstance(v, Typed)):
            try:
                ids.append(str(self.resolve(text).pk))
            except ValidationError as exc:
                errors.extend(exc.error_list)
        if errors:
            raise ValidationError(errors)
        return super().clean(list(dict.fromkeys(ids)))


def bind_pickers(form: forms.Form, user) -> None:
    """Scope every picker of a form to the acting user (call from the form's __init__)."""
    for field in form.fields.values():
        if isinstance(field, _PickMixin):
            field.bind(user)


# Organisers and responsible units: the units in scope that are not villages.
OFFICE_UNITS = replace(UNITS, name="office-units", choices=lambda *, user: _units(user=user).exclude(kind="village"),
                       outside=_("所选单位不在您的管辖范围内、已停用或为村（社区），请重新选择"))

# The org's own sources, which forms may name by string (`PickField("people")`); other apps pass their object.
NAMED = {s.name: s for s in (PEOPLE, SECTION_LEADERS, COUNTY_PEOPLE, UNITS, OFFICE_UNITS)}
