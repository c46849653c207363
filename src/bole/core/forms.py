"""Forms shared by every register page."""

from django import forms
from django.utils.translation import gettext_lazy as _


class ImportForm(forms.Form):
    """An .xlsx upload for a register import; `update` switches on update-by-key."""

    file = forms.FileField(label=_("Excel 文件（.xlsx）"))
    update = forms.BooleanField(label=_("按关键字更新已有记录"), required=False)
    sheet = forms.CharField(label=_("工作表（工作簿中有多个相符的工作表时填写）"), required=False, max_length=100)


class DateInput(forms.DateInput):
    """A browser date box (`<input type=date>`): its value is always an ISO date, whatever the language's date
    format — a localised "2026/12/07" is a value the box does not take, so it would show empty and lose the date."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class DateTimeInput(forms.DateTimeInput):
    """A browser date-and-time box (`<input type=datetime-local>`), its value always ISO (2026-12-07T14:30)."""

    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")
