"""Forms of the talent pages; the services validate again."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from bole.cases.selectors import desk_categories
from bole.core.forms import DateInput
from bole.evaluation.pickers import JUDGE_LOGINS
from bole.org.choices import Industry
from bole.org.pickers import OFFICE_UNITS, PickField, PickMultipleField, bind_pickers
from bole.org.selectors import enterprise_list, person_list, region_list

from .choices import Education, LeaveReason, Origin, ProjectStage, Stage, SupportKind, TalentLevel
from .pickers import PROJECTS as PROJECT_PICKS
from .pickers import TALENTS as TALENT_PICKS


class TalentForm(forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=50)
    id_number = forms.CharField(label=_("身份证号"), max_length=18,
                                help_text=_("已在人员名册中的，按身份证号自动关联"))
    phone = forms.CharField(label=_("手机号码"), max_length=20, required=False)
    level = forms.ChoiceField(label=_("人才层次"), choices=TalentLevel.choices)
    category = forms.CharField(label=_("人才类别"), max_length=40, required=False)
    field = forms.CharField(label=_("专业领域"), max_length=40)
    industry = forms.ChoiceField(label=_("行业"), choices=Industry.choices)
    education = forms.ChoiceField(label=_("学历"), choices=Education.choices)
    origin = forms.ChoiceField(label=_("来源"), choices=Origin.choices)
    employer = forms.ModelChoiceField(label=_("用人单位"), queryset=None, required=False)
    region = forms.ModelChoiceField(label=_("所在区划"), queryset=None)
    arrival_date = forms.DateField(label=_("到岗日期"), required=False, widget=DateInput())

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["employer"].queryset = enterprise_list(user=user).filter(is_active=True).order_by("name")
        self.fields["region"].queryset = region_list(user=user).filter(is_active=True).order_by("code")


class StageForm(forms.Form):
    to = forms.ChoiceField(label=_("转入阶段"), choices=Stage.choices)
    on = forms.DateField(label=_("日期"), required=False, widget=DateInput())
    note = forms.CharField(label=_("说明"), max_length=200, required=False)
    reason = forms.ChoiceField(label=_("离开原因"), choices=[("", "—"), *LeaveReason.choices], required=False)
    interview = forms.CharField(label=_("离职面谈记录"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class LiaisonForm(forms.Form):
    liaison = forms.ModelChoiceField(label=_("人才专员"), queryset=None, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["liaison"].queryset = person_list(user=user).filter(is_active=True, is_cadre=True).order_by("name")


class RequestForm(forms.Form):
    category = forms.ChoiceField(label=_("服务类别"), required=False)
    title = forms.CharField(label=_("需求"), max_length=100)
    description = forms.CharField(label=_("详细说明"), widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.categories = {str(c.pk): c for c in desk_categories("talent")}
        self.fields["category"].choices = [("", "—"), *((k, c.name) for k, c in self.categories.items())]

    def clean_category(self):
        return self.categories.get(self.cleaned_data.get("category") or "")


class TemplateForm(forms.Form):
    stage = forms.ChoiceField(label=_("阶段"), choices=[c for c in Stage.choices if c[0] != Stage.LEFT])
    name = forms.CharField(label=_("事项"), max_length=80)
    unit = forms.CharField(label=_("责任单位"), max_length=60)
    day_offset = forms.IntegerField(label=_("进入阶段后第几天完成"), min_value=0, max_value=3650)


class CreatorForm(forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=50)
    business = forms.CharField(label=_("创业项目"), max_length=100)
    village = forms.ModelChoiceField(label=_("所在村"), queryset=None)
    started_on = forms.DateField(label=_("创业时间"), widget=DateInput())

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = region_list(user=user).filter(level="village").order_by("code")


class SupportForm(forms.Form):
    kind = forms.ChoiceField(label=_("支持类型"), choices=SupportKind.choices)
    on = forms.DateField(label=_("日期"), widget=DateInput())
    amount = forms.DecimalField(label=_("金额（万元）"), min_value=0, max_digits=10, decimal_places=2, required=False)
    note = forms.CharField(label=_("内容"), max_length=200)


class HouseholdForm(forms.Form):
    head = forms.CharField(label=_("户主"), max_length=50)
    linked_on = forms.DateField(label=_("结对日期"), widget=DateInput())
    link = forms.CharField(label=_("带动方式"), max_length=60, required=False)
    baseline_income = forms.DecimalField(label=_("基线年收入（元）"), min_value=0, max_digits=12, decimal_places=2,
                                         required=False)


class SurveyForm(forms.Form):
    wave = forms.IntegerField(label=_("回访期次"), min_value=0, max_value=40)
    income = forms.DecimalField(label=_("年收入（元）"), min_value=0, max_digits=12, decimal_places=2, required=False)
    surveyed_on = forms.DateField(label=_("回访日期"), required=False, widget=DateInput())
    missed = forms.BooleanField(label=_("未能回访"), required=False)


class ContestForm(forms.Form):
    name = forms.CharField(label=_("大赛名称"), max_length=100)
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    region = forms.ModelChoiceField(label=_("举办地"), queryset=None)
    unit = PickField(OFFICE_UNITS, label=_("主办单位"), required=False,
                     help_text=_("初赛、决赛的评分由该单位组织（区县委组织部、人才办等）"))
    tracks = forms.CharField(label=_("赛道"), max_length=200, help_text=_("用顿号或逗号分隔，如：数字经济、高端装备、生物医药"))
    finalists_per_track = forms.IntegerField(label=_("每个赛道晋级决赛人数"), min_value=1, max_value=100, initial=4)
    award_plan = forms.CharField(label=_("奖项设置（每个赛道）"), widget=forms.Textarea(attrs={"rows": 4}),
                                 help_text=_("每行一个奖项和名额，从高到低；最后一行可写“其余”，即其余决赛选手"))
    description = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = (region_list(user=user).filter(is_active=True, level__in=["county", "town"])
                                          .order_by("code"))
        bind_pickers(self, user)

    def clean_tracks(self):
        raw = self.cleaned_data["tracks"]
        for sep in "，,；;、\n":
            raw = raw.replace(sep, "、")
        names = [n.strip() for n in raw.split("、") if n.strip()]
        if not names or any(len(n) > 20 for n in names) or len(set(names)) != len(names):
            raise forms.ValidationError(_("请填写不重复的赛道名称，每个最多 20 个字"))
        return names


class TrackForm(forms.Form):
    name = forms.CharField(label=_("赛道"), max_length=20)


class ContestantForm(forms.Form):
    track = forms.ChoiceField(label=_("赛道"))
    talent = PickField(TALENT_PICKS, label=_("参赛人才"), required=False)
    project = PickField(PROJECT_PICKS, label=_("创业项目"), required=False)
    label = forms.CharField(label=_("参赛名称"), max_length=120, required=False,
                            help_text=_("不填则用项目名称或人才姓名"))

    def __init__(self, *args, user, contest, **kwargs):
        super().__init__(*args, **kwargs)
        self.tracks = {str(t.pk): t for t in contest.tracks.all()}
        self.fields["track"].choices = [(k, t.name) for k, t in self.tracks.items()]
        bind_pickers(self, user)

    def clean_track(self):
        return self.tracks.get(self.cleaned_data.get("track") or "")

    def clean(self):
        data = super().clean()
        if not data.get("talent") and not data.get("project"):
            raise forms.ValidationError(_("请选择参赛人才或创业项目"))
        return data


class ContestJudgeForm(forms.Form):
    user = PickField(JUDGE_LOGINS, label=_("评委账号"))
    track = forms.ChoiceField(label=_("赛道"), required=False)

    def __init__(self, *args, user, contest, **kwargs):
        super().__init__(*args, **kwargs)
        self.tracks = {str(t.pk): t for t in contest.tracks.all()}
        self.fields["track"].choices = [("", _("全部赛道")), *((k, t.name) for k, t in self.tracks.items())]
        bind_pickers(self, user)

    def clean_track(self):
        return self.tracks.get(self.cleaned_data.get("track") or "")


class TalentEditForm(TalentForm):
    """A talent's register fields. The ID number is not edited here and the phone box is left empty (a full number is
    shown only by the logged reveal): typing a number replaces it, an empty box keeps the current one. A talent on
    the person register keeps the register's name."""

    def __init__(self, *args, talent, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["id_number"]
        if talent.person_id:
            del self.fields["name"]
        self.initial["phone"] = ""
        if talent.phone:
            self.fields["phone"].widget.attrs["placeholder"] = _("当前号码 %(phone)s；留空则不变") % {
                "phone": talent.phone_masked}


class ProjectForm(forms.Form):
    name = forms.CharField(label=_("项目名称"), max_length=100)
    field = forms.CharField(label=_("领域"), max_length=40)
    region = forms.ModelChoiceField(label=_("所在区划"), queryset=None)
    started_on = forms.DateField(label=_("落地时间"), widget=DateInput())
    stage = forms.ChoiceField(label=_("阶段"), choices=ProjectStage.choices)
    investment = forms.DecimalField(label=_("累计投资（万元）"), min_value=0, max_digits=12, decimal_places=2,
                                    required=False)
    revenue = forms.DecimalField(label=_("上年营收（万元）"), min_value=0, max_digits=12, decimal_places=2,
                                 required=False)
    founders = PickMultipleField(TALENT_PICKS, label=_("创始人"), help_text=_("须有一位硕士或博士"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = (region_list(user=user).filter(is_active=True, level__in=["county", "town"])
                                          .order_by("code"))
        bind_pickers(self, user)


class ProjectEditForm(forms.Form):
    """What changes over a project's life: its field, stage and figures (name, place and founders stay)."""

    field = forms.CharField(label=_("领域"), max_length=40)
    stage = forms.ChoiceField(label=_("阶段"), choices=ProjectStage.choices)
    investment = forms.DecimalField(label=_("累计投资（万元）"), min_value=0, max_digits=12, decimal_places=2)
    revenue = forms.DecimalField(label=_("上年营收（万元）"), min_value=0, max_digits=12, decimal_places=2)
