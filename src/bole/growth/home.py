"""选调生成长 on the home page (the `tiles` hook): a young cadre's next checklist items, a mentor's sign-offs."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from bole.core.plugins import Line, Section

from .choices import EntryStatus
from .selectors import my_record, to_sign


def my_growth(user) -> list[Section]:
    """我的成长清单: the items not yet signed off, soonest first, and how many are done."""
    record = my_record(user=user)
    if record is None:
        return []
    today = timezone.localdate()
    entries = record.entries.select_related("item")
    done = entries.filter(status=EntryStatus.SIGNED).count()
    url = reverse("growth-record", args=[record.pk])
    lines = [Line(_("已签认事项"), url, _("%(done)s / %(total)s") % {"done": done, "total": entries.count()})]
    for e in entries.exclude(status=EntryStatus.SIGNED).order_by("due_date")[:5]:
        late = e.due_date < today
        lines.append(Line(e.item.name, url, f"{e.get_status_display()} · {e.due_date:%Y-%m-%d}",
                          "danger" if late else ""))
    return [Section(label=_("我的成长清单"), items=lines, url=url, link=_("成长档案"))]


def waiting(user) -> list[dict]:
    """待办 for a mentor: entries waiting for their sign-off."""
    n = to_sign(user=user).count()
    return [{"label": _("成长事项待签认"), "count": n, "url": reverse("growth-dashboard")}]
