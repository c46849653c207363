"""Generic register pages (list, detail with history, create/edit, import, export), the audit trail, the inbox."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .audit import audit_annotate, audit_filter, history_for, type_choices
from .choices import AuditAction
from .forms import ImportForm
from .models import AuditEvent
from .notices import (
    notification_get,
    notification_mark_all_read,
    notification_mark_read,
    notifications_for,
    safe_link,
)
from .params import choice_param, date_param, id_param, page_param
from .permissions import policy
from .register_jobs import export_inline_max, export_submit, import_submit
from .registers import Register, export_register, template_for

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass
class Filter:
    """A list filter: a GET parameter, its label, options, and how it narrows the queryset."""

    name: str
    label: str
    options: Callable[[Any], list[tuple[str, str]]]
    apply: Callable[[Any, str], Any]


@dataclass
class RegisterPages:
    """What the generic pages need beyond the Register: columns, filters, forms, services."""

    register: Register
    url_name: str
    list_columns: list[tuple[str, str, str]]  # (label, accessor, sort field or "")
    detail_fields: list[tuple[str, Callable[[Any], Any]]]
    selector: Callable[..., Any]
    create_form: Any = None
    edit_form: Any = None
    create: Callable[..., Any] | None = None
    update: Callable[..., Any] | None = None
    set_active: Callable[..., Any] | None = None
    filters: list[Filter] = field(default_factory=list)
    default_sort: str = "id"
    index: str = ""  # dotted path of the dict (register key → pages) holding these, for background exports
    detail_extra: Callable[[Any, Any], Any] | None = None  # (request, obj) -> `extra` of the detail page
    reveal_url: Callable[[Any], str] | None = None  # obj -> the logged reveal of its full personal data


def _accessor(obj, path: str):
    value = obj
    for part in path.split("."):
        value = getattr(value, part, "")
        if callable(value):
            value = value()
    return value


def filtered_rows(pages: RegisterPages, user, params, action: str = "view"):
    """The register's rows the user may `action`, narrowed by the list page's query parameters."""
    qs = pages.selector(user=user, action=action)
    q = params.get("q", "").strip()
    if q:
        qs = pages.register.find(qs, q, user)
    active = params.get("active", "1")
    if active in {"0", "1"}:
        qs = qs.filter(is_active=active == "1")
    for f in pages.filters:
        value = params.get(f.name, "")
        if value:
            qs = f.apply(qs, value)
    return qs


def _filtered(pages: RegisterPages, request, action: str = "view"):
    return filtered_rows(pages, request.user, request.GET, action)


def list_view(request, pages: RegisterPages):
    """A register's list: search, filters, sorting, pagination; HTMX swaps only the table."""
    qs = _filtered(pages, request)
    sortable = {s for _l, _a, s in pages.list_columns if s}
    sort = request.GET.get("sort", pages.default_sort)
    if sort.lstrip("-") not in sortable | {"id"}:
        sort = pages.default_sort
    qs = qs.order_by(sort, "id")
    paginator = Paginator(qs, 50)
    page = paginator.get_page(request.GET.get("page"))
    rows = [
        {"obj": obj, "cells": [_accessor(obj, acc) for _l, acc, _s in pages.list_columns]} for obj in page.object_list
    ]
    params = request.GET.copy()
    params.pop("page", None)
    policy, model = pages.register.policy, pages.register.model
    ctx = {
        "pages": pages,
        "page": page,
        "rows": rows,
        "columns": pages.list_columns,
        "sort": sort,
        "query": params.urlencode(),
        "filters": [(f, f.options(request.user), request.GET.get(f.name, "")) for f in pages.filters],
        "q": request.GET.get("q", ""),
        "active": request.GET.get("active", "1"),
        "can_add": policy.allows(request.user, "add", model) and pages.create is not None,
        "can_export": policy.allows(request.user, "export", model),
        "can_import": policy.allows(request.user, "import", model),
    }
    template = "core/_list_table.html" if request.headers.get("HX-Request") else "core/list.html"
    return render(request, template, ctx)


def detail_view(request, pages: RegisterPages, pk):
    """A record's fields; the history tab lists its audit rows."""
    policy = pages.register.policy
    obj = policy.get(pages.selector(user=request.user), request.user, pk)
    if request.GET.get("tab") == "history":
        if not policy.allows(request.user, "history", pages.register.model):
            raise PermissionDenied
        # Audit rows keep ID numbers and phones masked; the full current values only through the logged reveal.
        reveal = pages.reveal_url
        reveal_url = reveal(obj) if reveal and policy.may(request.user, "view_sensitive", obj) else ""
        return render(request, "core/_history.html", {"events": history_for(obj)[:200], "reveal_url": reveal_url})
    ctx = {
        "pages": pages,
        "obj": obj,
        "fields": [(label, fn(obj)) for label, fn in pages.detail_fields],
        "can_edit": policy.allows(request.user, "change", pages.register.model) and pages.update is not None,
        "can_history": policy.allows(request.user, "history", pages.register.model),
        "extra": pages.detail_extra(request, obj) if pages.detail_extra else None,
    }
    return render(request, "core/detail.html", ctx)


def apply_service(form, call) -> Any:
    """Run a service call for a bound form; its ValidationError becomes the form's errors (None returned)."""
    try:
        with transaction.atomic():
            return call()
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            for key, errors in exc.error_dict.items():
                form.add_error(key if key in form.fields else None, errors)
        else:
            form.add_error(None, exc)
        return None


def create_view(request, pages: RegisterPages):
    if not pages.register.policy.allows(request.user, "add", pages.register.model) or pages.create is None:
        raise PermissionDenied
    form = pages.create_form(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        obj = apply_service(form, lambda: pages.create(actor=request.user, **form.cleaned_data))
        if obj is not None:
            return redirect(reverse(f"{pages.url_name}-detail", args=[obj.pk]))
    return render(request, "core/form.html", {"pages": pages, "form": form, "title": _("新建")})


def edit_view(request, pages: RegisterPages, pk):
    policy = pages.register.policy
    obj = policy.get(pages.selector(user=request.user), request.user, pk, "change")
    form = pages.edit_form(request.POST or None, instance=type(obj).objects.get(pk=obj.pk), user=request.user)
    if request.method == "POST" and form.is_valid():
        fresh = type(obj).objects.get(pk=obj.pk)  # the form mutated its instance; services diff a clean copy
        done = apply_service(form, lambda: pages.update(fresh, actor=request.user, **form.cleaned_data))
        if done is not None:
            return redirect(reverse(f"{pages.url_name}-detail", args=[obj.pk]))
    return render(request, "core/form.html", {"pages": pages, "form": form, "obj": obj, "title": _("修改")})


@require_POST
def set_active_view(request, pages: RegisterPages, pk):
    obj = pages.register.policy.get(pages.selector(user=request.user), request.user, pk, "deactivate")
    pages.set_active(obj, active=request.POST.get("active") == "1", actor=request.user)
    return redirect(reverse(f"{pages.url_name}-detail", args=[obj.pk]))


def export_view(request, pages: RegisterPages):
    """The filtered list as .xlsx (same headers as the import template)."""
    if not pages.register.policy.allows(request.user, "export", pages.register.model):
        raise PermissionDenied
    qs = _filtered(pages, request, "export").order_by("id")
    if pages.index and qs.count() > export_inline_max():
        job = export_submit(pages_index=pages.index, key=pages.register.key, owner=request.user,
                            query={k: v for k, v in request.GET.items() if k in _EXPORT_PARAMS(pages)},
                            label=str(pages.register.label))
        return redirect(reverse("job-detail", args=[job.pk]))
    data = export_register(register=pages.register, queryset=qs, actor=request.user)
    resp = HttpResponse(data, content_type=XLSX)
    resp["Content-Disposition"] = f"attachment; filename={pages.register.key}.xlsx"
    return resp


def _EXPORT_PARAMS(pages: RegisterPages) -> set[str]:  # noqa: N802
    return {"q", "active", *(f.name for f in pages.filters)}


def template_view(request, pages: RegisterPages):
    if not pages.register.policy.allows(request.user, "import", pages.register.model):
        raise PermissionDenied
    resp = HttpResponse(template_for(pages.register, request.user), content_type=XLSX)
    resp["Content-Disposition"] = f"attachment; filename={pages.register.key}-template.xlsx"
    return resp


def import_view(request, pages: RegisterPages):
    """Upload → a background check (every error located) → on the job's page, confirm → a background import of
    the same file in one transaction. The upload's request returns as soon as the file is stored."""
    from django.conf import settings

    register = pages.register
    if not register.policy.allows(request.user, "import", register.model):
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read(settings.BOLE_IMPORT_MAX_BYTES + 1)
        job = import_submit(register=register, data=data, filename=upload.name or "import.xlsx", owner=request.user,
                            dry_run=True, update=form.cleaned_data["update"], sheet=form.cleaned_data["sheet"].strip(),
                            back=reverse(f"{pages.url_name}-list") if pages.index else "")
        return redirect(reverse("job-detail", args=[job.pk]))
    return render(request, "core/import.html", {"pages": pages, "form": form})


@login_required
def audit_list(request):
    """The county's audit trail (admins only): who did what to which record, filtered in SQL, 50 rows a page."""
    policy.require(request.user, "audit")
    g = request.GET
    types = type_choices()
    actions = list(AuditAction.choices)
    qs = audit_filter(
        AuditEvent.objects.select_related("actor"),
        actor=g.get("actor", ""), actor_id=id_param(g, "actor_id"),
        object_type=choice_param(g, "type", [k for k, _label in types]), record=g.get("record", ""),
        action=choice_param(g, "action", [k for k, _label in actions]),
        since=date_param(g, "since"), until=date_param(g, "until"),
    )
    page = Paginator(qs, 50).get_page(page_param(g))
    page.object_list = audit_annotate(list(page.object_list))
    params = g.copy()
    params.pop("page", None)
    return render(request, "core/audit.html", {
        "page": page, "types": types, "actions": actions, "g": g, "query": params.urlencode(),
        "filtered": any(g.get(k) for k in ("actor", "actor_id", "type", "record", "action", "since", "until")),
    })


# --- notifications inbox ---------------------------------------------------------------------------


@login_required
def inbox(request):
    """站内通知: the user's own notifications, unread first to hand, newest first; 50 per page."""
    unread_only = request.GET.get("show") == "unread"
    qs = notifications_for(user=request.user, unread_only=unread_only)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "core/inbox.html", {"page": page, "unread_only": unread_only})


@login_required
@require_POST
def notification_read(request, pk):
    """Mark one notification read; with `open`, go on to the record it points at."""
    note = notification_mark_read(notification=notification_get(user=request.user, pk=pk), user=request.user)
    if request.POST.get("open") and safe_link(note.link):
        return redirect(safe_link(note.link))
    if request.headers.get("HX-Request"):
        return render(request, "core/_notice.html", {"n": note})
    return redirect(_back_to_inbox(request))


@login_required
@require_POST
def notification_read_all(request):
    """Mark every unread notification of the user read."""
    n = notification_mark_all_read(user=request.user)
    messages.success(request, _("已将 %(n)d 条通知标为已读") % {"n": n})
    return redirect(_back_to_inbox(request))


def _back_to_inbox(request) -> str:
    show = request.POST.get("show", "")
    return reverse("inbox") + ("?show=unread" if show == "unread" else "")
