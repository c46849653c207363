"""Forms of the lecture hall's planning pages: they validate input; the services do the writing."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from bole.core.forms import DateInput, DateTimeInput
from bole.org.pickers import PickField, PickMultipleField, bind_pickers

from .choices import Audience, Theme
from .models import MAX_PASS_POINTS
from .services import DEFAULT_PASS_POINTS

DATE = DateInput()
WHEN = DateTimeInput()


class PlanForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    title = forms.CharField(label=_("计划名称"), max_length=120, required=False,
                            help_text=_("空为“某某年干部大讲堂”"))
    organiser = PickField("office-units", label=_("组织单位（组织部）"))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        bind_pickers(self, user)


class TopicForm(forms.Form):
    title = forms.CharField(label=_("专题"), max_length=120)
    theme = forms.ChoiceField(label=_("主题"), choices=Theme.choices)
    target_groups = forms.CharField(label=_("培训对象"), max_length=200, required=False)
    host_unit = PickField("office-units", label=_("承办单位"))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        bind_pickers(self, user)


class LecturerForm(forms.Form):
    """授课人: a person on the register, or an outside expert by name with their institution."""

    person = PickField("county-people", label=_("在册人员"), required=False)
    name = forms.CharField(label=_("外请专家姓名"), max_length=50, required=False)
    institution = forms.CharField(label=_("单位/机构"), max_length=120, required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        bind_pickers(self, user)

    def clean(self):
        data = super().clean()
        if not self.errors and not data.get("person") and not (data.get("name") or "").strip():
            raise forms.ValidationError(_("请选择在册人员，或填写外请专家的姓名"))
        if data.get("person") and (data.get("name") or "").strip():
            self.add_error("name", _("已选在册人员时不必再填姓名"))
        return data


class SessionForm(forms.Form):
    title = forms.CharField(label=_("课程名称"), max_length=120)
    topic = forms.ModelChoiceField(label=_("专题"), queryset=None, required=False)
    training_class = forms.ModelChoiceField(label=_("集训班"), queryset=None, required=False)
    host_unit = PickField("office-units", label=_("承办单位"))
    lecturer = forms.CharField(label=_("授课人"), max_length=120, required=False)
    place = forms.CharField(label=_("地点"), max_length=120)
    starts_at = forms.DateTimeField(label=_("开始时间"), widget=WHEN)
    ends_at = forms.DateTimeField(label=_("结束时间"), widget=WHEN)
    capacity = forms.IntegerField(label=_("名额"), min_value=1, max_value=100000)
    hours = forms.DecimalField(label=_("学时"), min_value=0.1, max_value=100, max_digits=5, decimal_places=1)
    compulsory = forms.BooleanField(label=_("必修"), required=False)
    audience = forms.ChoiceField(label=_("选修对象"), choices=Audience.choices)
    enrol_opens = forms.DateTimeField(label=_("选课开始"), widget=WHEN, required=False,
                                      help_text=_("空为开课前14天"))
    enrol_closes = forms.DateTimeField(label=_("选课截止"), widget=WHEN, required=False, help_text=_("空为开课时"))

    def __init__(self, *args, user=None, plan=None, **kwargs):
        super().__init__(*args, **kwargs)
        bind_pickers(self, user)
        self.fields["topic"].queryset = plan.topics.all()
        self.fields["training_class"].queryset = plan.classes.all()

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("结束时间须晚于开始时间"))
        opens, closes = data.get("enrol_opens"), data.get("enrol_closes")
        if closes and starts and closes > starts:
            self.add_error("enrol_closes", _("选课截止不能晚于开课时间"))
        if opens and (closes or starts) and opens >= (closes or starts):
            self.add_error("enrol_opens", _("选课开始须早于选课截止"))
        return data


class SessionCreateForm(SessionForm):
    publish = forms.BooleanField(label=_("保存后立即发布"), required=False)


class ClassForm(forms.Form):
    title = forms.CharField(label=_("班次名称"), max_length=120)
    pass_mark = forms.DecimalField(label=_("合格分数"), min_value=0, max_value=100, max_digits=5, decimal_places=1,
                                   initial=60)
    test_date = forms.DateField(label=_("检验日期"), widget=DATE, required=False)
    pass_points = forms.DecimalField(label=_("结业积分"), min_value=0, max_value=MAX_PASS_POINTS, max_digits=4,
                                     decimal_places=1, initial=DEFAULT_PASS_POINTS, required=False,
                                     help_text=_("结业时记入积分台账“干部教育培训”类的分值，0 为不记分（0–20）"))


class MembersForm(forms.Form):
    people = PickMultipleField("people", label=_("添加学员（姓名，多人用逗号分隔）"))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        bind_pickers(self, user)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Excel 文件（.xlsx）"))


class PlanImportForm(ImportForm):
    publish = forms.BooleanField(label=_("导入后立即发布"), required=False)
