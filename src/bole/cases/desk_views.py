"""Desk configuration pages: a county admin creates and edits desks (受理台) without code changes."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from . import services
from .forms import CategoryFormSet, DeskForm, StepFormSet, desk_rows
from .models import Desk
from .permissions import may_configure


def _require_admin(user) -> None:
    if not may_configure(user):
        raise PermissionDenied(_("只有县级管理员可以配置受理台"))


def _initial(desk: Desk) -> tuple[dict, list[dict], list[dict]]:
    form = {"name": desk.name, "description": desk.description, "submitter_kinds": desk.submitter_kinds,
            "assignable_units": list(desk.assignable_units.all()), "handlers": list(desk.handlers.all()),
            "head": desk.head, "decline_hours": desk.decline_hours, "is_active": desk.is_active}
    cats = [{"pk": c.pk, "name": c.name, "deadline_days": c.deadline_days, "is_active": c.is_active}
            for c in desk.categories.all()]
    return form, cats, list(desk.escalation_steps)


def _show(form: DeskForm, exc: ValidationError) -> dict[str, list[str]]:
    """Put the service's errors next to their fields; the formset errors are shown above each table."""
    rest: dict[str, list[str]] = {}
    for field, errors in exc.message_dict.items():
        if field in form.fields:
            for e in errors:
                form.add_error(field, e)
        else:
            rest.setdefault(field, []).extend(errors)
    return rest


@login_required
def desk_edit(request, pk: int | None = None):
    """New desk (no pk) or edit one: settings, categories with deadlines, units, escalation steps."""
    _require_admin(request.user)
    desk = get_object_or_404(Desk, pk=pk) if pk is not None else None
    if request.method == "POST":
        form = DeskForm(request.POST, desk=desk, user=request.user)
        cats = CategoryFormSet(request.POST, prefix="cat")
        steps = StepFormSet(request.POST, prefix="step")
    else:
        initial, cat_rows, step_rows = _initial(desk) if desk else (
            {"decline_hours": 24, "is_active": True}, [], [{"overdue_days": 0, "target": "unit_head"},
                                                          {"overdue_days": 3, "target": "desk_head"}])
        form = DeskForm(initial=initial, desk=desk, user=request.user)
        cats = CategoryFormSet(initial=cat_rows, prefix="cat")
        steps = StepFormSet(initial=step_rows, prefix="step")
    if desk is None:
        form.fields.pop("is_active", None)
    extra_errors: dict[str, list[str]] = {}
    if request.method == "POST" and form.is_valid() and cats.is_valid() and steps.is_valid():
        d = form.cleaned_data
        cat_rows, step_rows = desk_rows(cats, steps)
        try:
            if desk is None:
                desk = services.desk_create(
                    code=d["code"], name=d["name"], description=d["description"], submitter_kinds=d["submitter_kinds"],
                    categories=[(c["name"], c["deadline_days"]) for c in cat_rows if c["is_active"]],
                    assignable_units=d["assignable_units"], handlers=d["handlers"], head=d["head"],
                    decline_hours=d["decline_hours"], escalation_steps=step_rows, actor=request.user)
                messages.success(request, _("已创建受理台“%(n)s”") % {"n": desk.name})
            else:
                services.desk_update(
                    desk=desk, name=d["name"], description=d["description"], submitter_kinds=d["submitter_kinds"],
                    categories=cat_rows, assignable_units=d["assignable_units"], handlers=d["handlers"],
                    head=d["head"], decline_hours=d["decline_hours"], escalation_steps=step_rows,
                    is_active=d["is_active"], actor=request.user)
                messages.success(request, _("已保存受理台“%(n)s”") % {"n": desk.name})
        except ValidationError as exc:
            extra_errors = _show(form, exc)
        else:
            return redirect("cases-desks")
    return render(request, "cases/desk_form.html", {
        "desk": desk, "form": form, "cats": cats, "steps": steps, "errors": extra_errors,
    }, status=400 if request.method == "POST" else 200)
