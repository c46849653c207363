"""Forms of the case pages: submission, the transition actions, tasks, meetings, calendar entries."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from bole.core.forms import DateInput, DateTimeInput
from bole.org.pickers import PickField, PickMultipleField, bind_pickers

from .choices import CalendarEntryKind, EscalationTarget, Rating, SubmitterKind
from .models import Category
from .pickers import CASE_UNITS, DESK_HANDLERS, DESK_HEADS, MEETING_UNITS, handler_candidates, head_candidates
from .services import MAX_DECLINE_HOURS


class MultiFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultiFileField(forms.FileField):
    """Several images/PDFs in one input; content is checked by the service (magic bytes, size)."""

    widget = MultiFileInput

    def clean(self, data, initial=None):
        if not data:
            return []
        items = data if isinstance(data, list | tuple) else [data]
        return [super(MultiFileField, self).clean(d, initial) for d in items]


class CaseSubmitForm(forms.Form):
    """What an enterprise (or any logged-in submitter) files on a desk."""

    category = forms.ModelChoiceField(label=_("问题类别"), queryset=Category.objects.none())
    title = forms.CharField(label=_("标题"), max_length=200)
    description = forms.CharField(label=_("问题描述"), widget=forms.Textarea(attrs={"rows": 5}))
    location = forms.CharField(label=_("地点"), max_length=200, required=False)
    contact_name = forms.CharField(label=_("联系人"), max_length=50, required=False)
    contact_phone = forms.CharField(label=_("联系电话"), max_length=20, required=False)
    attachments = MultiFileField(label=_("附件（图片或PDF，可多选）"), required=False,
                                 widget=MultiFileInput(attrs={"accept": "image/*,application/pdf"}))
    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, desk, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = desk.categories.filter(is_active=True)


class ResidentRequestForm(forms.Form):
    """The phone form behind a stairwell QR code: no login, a phone number is enough."""

    phone = forms.CharField(label=_("手机号码"), max_length=20,
                            widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}))
    name = forms.CharField(label=_("称呼（可不填）"), max_length=50, required=False)
    category = forms.ModelChoiceField(label=_("诉求类别"), queryset=Category.objects.none())
    description = forms.CharField(label=_("诉求内容"), widget=forms.Textarea(attrs={"rows": 4}))
    attachments = MultiFileField(label=_("照片（可不传）"), required=False,
                                 widget=MultiFileInput(attrs={"accept": "image/*,application/pdf"}))

    def __init__(self, *args, desk, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = desk.categories.filter(is_active=True)


class RateForm(forms.Form):
    rating = forms.ChoiceField(label=_("满意度"), choices=Rating.choices, widget=forms.RadioSelect)
    comment = forms.CharField(label=_("评价意见"), max_length=500, required=False,
                              widget=forms.Textarea(attrs={"rows": 2}))


class AssignForm(forms.Form):
    """Assignment by the desk: lead unit and its owner, optionally one co-unit sub-task and who answers for it.

    Units are searched among those the desk may assign to; owners among the people the desk user may pick; the
    service checks each owner belongs to its unit."""

    lead_unit = PickField(CASE_UNITS, label=_("承办单位"))
    owner = PickField("people", label=_("责任人（可选）"), required=False)
    co_unit = PickField(CASE_UNITS, label=_("协办单位（可选）"), required=False)
    co_task = forms.CharField(label=_("协办事项"), max_length=300, required=False)
    co_days = forms.IntegerField(label=_("协办时限（工作日）"), min_value=1, max_value=60, required=False)
    co_owner = PickField("people", label=_("协办责任人（可选）"), required=False)

    def __init__(self, *args, desk=None, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        bind_pickers(self, user)
        narrow_to_desk(self, desk)


def narrow_to_desk(form: forms.Form, desk) -> None:
    """A desk with a list of units assigns to those only (the search may offer the units of the user's other
    desks; choosing one of those fails here with a clear message)."""
    if desk is not None and desk.assignable_units.exists():
        for field in form.fields.values():
            if getattr(field, "source", None) is CASE_UNITS:
                field.queryset = field.queryset.filter(pk__in=desk.assignable_units.values("pk"))


class ReassignForm(forms.Form):
    """The desk gives a declined sub-task to another unit."""

    unit = PickField(CASE_UNITS, label=_("改派单位"))

    def __init__(self, *args, desk=None, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        bind_pickers(self, user)
        narrow_to_desk(self, desk)


class TaskWorkForm(forms.Form):
    """A co-unit's work on its sub-task: the result (or reason for declining) and who answers for it."""

    text = forms.CharField(label=_("结果或退回理由"), max_length=2000, required=False)
    owner = PickField("people", label=_("协办责任人"), required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        bind_pickers(self, user)


class MeetingForm(forms.Form):
    held_at = forms.DateTimeField(label=_("会议时间"), widget=DateTimeInput())
    place = forms.CharField(label=_("地点"), max_length=100, required=False)
    units = PickMultipleField(MEETING_UNITS, label=_("参会单位"), required=False)
    other_attendees = forms.CharField(label=_("参会人员"), max_length=300, required=False)
    minutes = forms.CharField(label=_("会议纪要"), widget=forms.Textarea(attrs={"rows": 4}))
    decision = forms.CharField(label=_("议定事项"), max_length=300, required=False)
    decision_unit = PickField(MEETING_UNITS, label=_("责任单位"), required=False)
    decision_deadline = forms.DateField(label=_("完成期限"), required=False,
                                        widget=DateInput())

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        bind_pickers(self, user)


class CalendarEntryForm(forms.Form):
    date = forms.DateField(label=_("日期"), widget=DateInput())
    kind = forms.ChoiceField(label=_("类型"), choices=CalendarEntryKind.choices)
    name = forms.CharField(label=_("名称"), max_length=40, required=False)


def notice_title(year: int) -> str:
    """The title of the State Council notice for a year, the usual source of an arrangement."""
    return _("国务院办公厅关于%(year)s年部分节假日安排的通知") % {"year": year}


class CalendarYearForm(forms.Form):
    """Declare a year's arrangement complete once its entries are all in."""

    year = forms.IntegerField(label=_("年份"), min_value=2000, max_value=2100, widget=forms.HiddenInput)
    notice = forms.CharField(label=_("依据"), max_length=120)


class CalendarImportForm(forms.Form):
    """A year's arrangement from the notice's text and/or a sheet of (日期, 类型, 名称) rows."""

    year = forms.IntegerField(label=_("年份"), min_value=2000, max_value=2100)
    notice = forms.CharField(label=_("依据"), max_length=120, required=False,
                             help_text=_("留空则记为国务院办公厅关于该年部分节假日安排的通知"))
    text = forms.CharField(label=_("通知正文"), required=False, widget=forms.Textarea(attrs={"rows": 10}),
                           help_text=_("粘贴“一、元旦：1月1日（星期五）放假，共1天。……”各条"))
    sheet = forms.FileField(label=_("或上传表格（.xlsx：日期、类型、名称）"), required=False)

    def clean(self):
        data = super().clean()
        if not data.get("text", "").strip() and not data.get("sheet"):
            raise forms.ValidationError(_("请粘贴通知正文或上传表格"))
        return data


class CalendarConfirmForm(forms.Form):
    """The previewed arrangement, sent back as rows so confirming re-checks exactly what was shown."""

    year = forms.IntegerField(min_value=2000, max_value=2100, widget=forms.HiddenInput)
    notice = forms.CharField(max_length=120, widget=forms.HiddenInput)
    rows = forms.CharField(widget=forms.HiddenInput)


# --- desk configuration ----------------------------------------------------------------------------


class DeskForm(forms.Form):
    """A desk's settings; categories and escalation steps come in the two formsets below."""

    code = forms.CharField(label=_("代码"), max_length=30, help_text=_("小写字母、数字和连字符，创建后不能修改"))
    name = forms.CharField(label=_("名称"), max_length=60)
    description = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    submitter_kinds = forms.MultipleChoiceField(label=_("可提交人"), choices=SubmitterKind.choices,
                                                widget=forms.CheckboxSelectMultiple, required=False)
    assignable_units = PickMultipleField(CASE_UNITS, label=_("可交办单位"), required=False,
                                         help_text=_("不选表示可交办任何单位"))
    handlers = PickMultipleField(DESK_HANDLERS, label=_("受理人员"), required=False,
                                 help_text=_("受理、交办和协调指派本受理台诉求的账号"))
    head = PickField(DESK_HEADS, label=_("受理台负责人"), required=False, help_text=_("接收受理台一级的超期督办"))
    decline_hours = forms.IntegerField(label=_("退回时限（小时）"), min_value=1, max_value=MAX_DECLINE_HOURS,
                                       help_text=_("承办单位可在交办后多少小时内退回"))
    is_active = forms.BooleanField(label=_("有效（停用后不再接受新诉求）"), required=False, initial=True)

    def __init__(self, *args, desk=None, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if desk is not None:
            del self.fields["code"]
        bind_pickers(self, user)
        # Who handles or heads the desk now stays choosable, whatever became of them since.
        self.fields["handlers"].queryset = handler_candidates(user=user, desk=desk)
        self.fields["head"].queryset = head_candidates(user=user, desk=desk)


class CategoryRowForm(forms.Form):
    """One category of a desk: name, default deadline in working days, active."""

    pk = forms.IntegerField(required=False, widget=forms.HiddenInput)
    name = forms.CharField(label=_("类别"), max_length=60, required=False)
    deadline_days = forms.IntegerField(label=_("办理时限（工作日）"), required=False)
    is_active = forms.BooleanField(label=_("有效"), required=False, initial=True)


class StepRowForm(forms.Form):
    """One escalation step: after how many overdue working days, to whom."""

    overdue_days = forms.IntegerField(label=_("超期工作日"), required=False)
    target = forms.ChoiceField(label=_("督办对象"), required=False,
                               choices=[("", "—"), *EscalationTarget.choices])


CategoryFormSet = forms.formset_factory(CategoryRowForm, extra=2)
StepFormSet = forms.formset_factory(StepRowForm, extra=1)


def desk_rows(categories: forms.BaseFormSet, steps: forms.BaseFormSet) -> tuple[list[dict], list[dict]]:
    """The filled-in rows of both formsets (blank rows are ignored), as the desk services take them."""
    cats = [{"pk": d.get("pk"), "name": d.get("name") or "", "deadline_days": d.get("deadline_days"),
             "is_active": bool(d.get("is_active"))}
            for d in (f.cleaned_data for f in categories.forms) if d and (d.get("pk") or d.get("name"))]
    rows = [{"overdue_days": d.get("overdue_days"), "target": d.get("target") or ""}
            for d in (f.cleaned_data for f in steps.forms)
            if d and (d.get("overdue_days") is not None or d.get("target"))]
    return cats, rows
