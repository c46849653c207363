"""Pages of the growth records: cohort dashboard, records, evidence and sign-off, postings, the checklist."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bole.core.params import year_param
from bole.core.scoping import own_person_id

from . import forms, selectors, services
from .models import GrowthRecord
from .permissions import policy


def _errors(request, exc: ValidationError) -> None:
    for msg in exc.messages:
        messages.error(request, msg)


@login_required
def dashboard(request):
    """Progress per cohort (届别) with each item's completion; a cadre's own record and entries to sign."""
    ctx = {
        "cohorts": selectors.cohort_dashboard(user=request.user),
        "mine": selectors.my_record(user=request.user),
        "to_sign": selectors.to_sign(user=request.user),
        "can_add": policy.allows(request.user, "add", GrowthRecord),
        "is_admin": policy.may(request.user, "configure"),
    }
    return render(request, "growth/dashboard.html", ctx)


@login_required
def record_list(request):
    qs = selectors.record_list(user=request.user).filter(is_active=True)
    cohort = year_param(request.GET, "cohort")
    if cohort is not None:
        qs = qs.filter(cohort=cohort)
    rows = list(qs[:500])
    progress = selectors.record_progress(record_ids=[r.pk for r in rows])
    for r in rows:
        r.progress = progress.get(r.pk, {"total": 0, "signed": 0, "overdue": 0})
    return render(request, "growth/records.html", {"records": rows, "cohort": cohort})


@login_required
def record_create(request):
    if not policy.allows(request.user, "add", GrowthRecord):
        raise PermissionDenied
    form = forms.RecordForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            record = services.growth_record_create(person=d["person"], cohort=d["cohort"], started_on=d["started_on"],
                                                   mentor=d["mentor"], actor=request.user)
        except ValidationError as exc:
            _errors(request, exc)
        else:
            return redirect("growth-record", pk=record.pk)
    return render(request, "growth/form.html", {"form": form})


@login_required
def record_detail(request, pk):
    record = selectors.record_get(user=request.user, pk=pk)
    pid = own_person_id(request.user)
    manager = selectors.record_list(user=request.user, action="change").filter(pk=record.pk).exists()
    ctx = {
        "record": record,
        "entries": record.entries.select_related("item", "signed_by"),
        "postings": record.postings.select_related("unit"),
        "owner": pid == record.person_id,
        "mentor": pid is not None and pid == record.mentor_id or policy.may(request.user, "configure"),
        "manager": manager,
        "posting_form": forms.PostingForm(),
        "today": timezone.localdate(),
    }
    return render(request, "growth/record.html", ctx)


def _entry(request, pk, entry_pk):
    record = selectors.record_get(user=request.user, pk=pk)
    entry = record.entries.select_related("record", "item").filter(pk=entry_pk).first()
    if entry is None:
        raise Http404
    return entry


@login_required
@require_POST
def entry_submit(request, pk, entry_pk):
    entry = _entry(request, pk, entry_pk)
    form = forms.EvidenceForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.growth_entry_submit(entry=entry, actor=request.user, **form.cleaned_data)
            messages.success(request, _("已提交导师签认"))
        except ValidationError as exc:
            _errors(request, exc)
    else:
        messages.error(request, _("请填写佐证材料"))
    return redirect("growth-record", pk=pk)


@login_required
@require_POST
def entry_transition(request, pk, entry_pk):
    entry = _entry(request, pk, entry_pk)
    try:
        services.growth_entry_transition(entry=entry, to=request.POST.get("to", ""), actor=request.user,
                                         comment=request.POST.get("comment", ""))
    except ValidationError as exc:
        _errors(request, exc)
    return redirect("growth-record", pk=pk)


@login_required
def entry_file(request, pk, entry_pk):
    """An evidence file, only to those who may read the record."""
    entry = _entry(request, pk, entry_pk)
    if not entry.evidence_file:
        raise Http404
    return FileResponse(entry.evidence_file.open("rb"), as_attachment=True,
                        filename=entry.evidence_file.name.rsplit("/", 1)[-1])


@login_required
@require_POST
def posting_add(request, pk):
    record = selectors.record_get(user=request.user, pk=pk)
    form = forms.PostingForm(request.POST)
    if form.is_valid():
        try:
            services.posting_add(record=record, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _errors(request, exc)
    else:
        messages.error(request, _("请填写蹲苗地点和开始日期"))
    return redirect("growth-record", pk=pk)


@login_required
def checklist(request):
    """The "十个一" template; the county admin adds items."""
    policy.require(request.user, "menu")
    is_admin = policy.may(request.user, "configure")
    form = forms.ItemForm(request.POST or None)
    if request.method == "POST":
        if not is_admin:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.checklist_item_create(actor=request.user, **form.cleaned_data)
                return redirect("growth-checklist")
            except ValidationError as exc:
                _errors(request, exc)
    return render(request, "growth/checklist.html", {"items": selectors.checklist(user=request.user),
                                                     "form": form, "is_admin": is_admin})
