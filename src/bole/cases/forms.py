"""Forms of the case pages: submission, the transition actions, tasks, meetings, calendar entries."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from bole.org.models import Person, Unit

from .choices import CalendarEntryKind, Rating
from .models import Category


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
    lead_unit = forms.ModelChoiceField(label=_("承办单位"), queryset=Unit.objects.filter(is_active=True))
    owner = forms.ModelChoiceField(label=_("责任人"), queryset=Person.objects.none(), required=False)
    co_unit = forms.ModelChoiceField(label=_("协办单位（可选）"), queryset=Unit.objects.filter(is_active=True),
                                     required=False)
    co_task = forms.CharField(label=_("协办事项"), max_length=300, required=False)
    co_days = forms.IntegerField(label=_("协办时限（工作日）"), min_value=1, max_value=60, required=False)

    def __init__(self, *args, desk=None, **kwargs):
        super().__init__(*args, **kwargs)
        if desk is not None and desk.assignable_units.exists():
            self.fields["lead_unit"].queryset = desk.assignable_units.all()
            self.fields["co_unit"].queryset = desk.assignable_units.all()
        unit_id = self.data.get("lead_unit") if self.is_bound else None
        if unit_id and str(unit_id).isdigit():
            unit = Unit.objects.filter(pk=unit_id).first()
            if unit:
                self.fields["owner"].queryset = Person.objects.filter(unit__path__startswith=unit.path)


class MeetingForm(forms.Form):
    held_at = forms.DateTimeField(label=_("会议时间"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    place = forms.CharField(label=_("地点"), max_length=100, required=False)
    units = forms.ModelMultipleChoiceField(label=_("参会单位"), queryset=Unit.objects.filter(is_active=True),
                                           required=False, widget=forms.SelectMultiple(attrs={"size": 6}))
    other_attendees = forms.CharField(label=_("参会人员"), max_length=300, required=False)
    minutes = forms.CharField(label=_("会议纪要"), widget=forms.Textarea(attrs={"rows": 4}))
    decision = forms.CharField(label=_("议定事项"), max_length=300, required=False)
    decision_unit = forms.ModelChoiceField(label=_("责任单位"), queryset=Unit.objects.filter(is_active=True),
                                           required=False)
    decision_deadline = forms.DateField(label=_("完成期限"), required=False,
                                        widget=forms.DateInput(attrs={"type": "date"}))


class CalendarEntryForm(forms.Form):
    date = forms.DateField(label=_("日期"), widget=forms.DateInput(attrs={"type": "date"}))
    kind = forms.ChoiceField(label=_("类型"), choices=CalendarEntryKind.choices)
    name = forms.CharField(label=_("名称"), max_length=40, required=False)
