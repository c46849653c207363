"""Forms shared by every register page."""

from django import forms
from django.utils.translation import gettext_lazy as _


class ImportForm(forms.Form):
    """An .xlsx upload for a register import; `update` switches on update-by-key."""

    file = forms.FileField(label=_("Excel 文件（.xlsx）"))
    update = forms.BooleanField(label=_("按关键字更新已有记录"), required=False)
    sheet = forms.CharField(label=_("工作表（工作簿中有多个相符的工作表时填写）"), required=False, max_length=100)
