"""The standard desks every county starts with (configuration data, created through desk_create)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from bole.core.notices import site_language

from .choices import EscalationTarget, SubmitterKind
from .models import Desk
from .services import desk_create

CATCHALL = "catchall"
HOME_REQUEST = "home-request"
HOME_GOVERNANCE = "home-governance"
PROJECT = "project"
TALENT = "talent"

STANDARD_DESKS = [
    {
        "code": CATCHALL, "name": _("兜底办"), "submitter_kinds": [SubmitterKind.ENTERPRISE],
        "description": _("企业长期未解决、落在部门之间的“三不管”问题：明确责任人、协调、限期办结、企业评价。"),
        "categories": [(_("政策变动没人管"), 20), (_("职能交叉不好管"), 15), (_("边界不清不想管"), 15),
                       (_("其他"), 10)],
        "decline_hours": 24,
        "escalation_steps": [{"overdue_days": 0, "target": EscalationTarget.UNIT_HEAD},
                             {"overdue_days": 3, "target": EscalationTarget.DESK_HEAD}],
    },
    {
        "code": HOME_REQUEST, "name": _("家园诉求"), "submitter_kinds": [SubmitterKind.RESIDENT],
        "description": _("居民扫楼道二维码提交的诉求，先由认领楼道的在职党员办理。"),
        "categories": [(_("环境卫生"), 5), (_("设施维修"), 7), (_("邻里纠纷"), 5), (_("物业管理"), 7),
                       (_("其他"), 5)],
        "decline_hours": 12,
        "escalation_steps": [{"overdue_days": 0, "target": EscalationTarget.UNIT_HEAD},
                             {"overdue_days": 2, "target": EscalationTarget.DESK_HEAD}],
    },
    {
        "code": HOME_GOVERNANCE, "name": _("家园共治议题"), "submitter_kinds": [SubmitterKind.RESIDENT,
                                                                          SubmitterKind.CADRE],
        "description": _("需要社区、业委会、物业等共同商议的小区治理议题，交家园共治委员会。"),
        "categories": [(_("停车管理"), 20), (_("加装电梯"), 30), (_("公共空间"), 20), (_("物业服务"), 15),
                       (_("其他"), 15)],
        "decline_hours": 24,
    },
    {
        "code": PROJECT, "name": _("项目难题"), "submitter_kinds": [SubmitterKind.CADRE, SubmitterKind.ENTERPRISE],
        "description": _("重点项目推进中的难题，由领办领导提交，相关部门限期破解。"),
        "categories": [(_("用地"), 15), (_("审批"), 10), (_("资金"), 15), (_("政策处理"), 20), (_("其他"), 10)],
        "decline_hours": 24,
    },
    {
        "code": TALENT, "name": _("人才服务"), "submitter_kinds": [SubmitterKind.TALENT, SubmitterKind.ENTERPRISE],
        "description": _("人才安居、子女入学、项目申报等服务事项。"),
        "categories": [(_("安居"), 10), (_("子女入学"), 10), (_("项目申报"), 15), (_("其他"), 10)],
        "decline_hours": 24,
    },
]


def desks_ensure(*, actor, head=None) -> dict[str, Desk]:
    """Create the standard desks that do not exist yet; returns code → desk. Their names are stored in the
    site language, whoever's request (or language) created them."""

    out = {}
    with site_language():
        for i, spec in enumerate(STANDARD_DESKS):
            desk = Desk.objects.filter(code=spec["code"]).first()
            if desk is None:
                desk = desk_create(
                    code=spec["code"], name=str(spec["name"]), description=str(spec["description"]),
                    submitter_kinds=spec["submitter_kinds"],
                    categories=[(str(n), d) for n, d in spec["categories"]], decline_hours=spec["decline_hours"],
                    escalation_steps=spec.get("escalation_steps"), sort=i, head=head, actor=actor)
            out[spec["code"]] = desk
    return out


def desk_by_code(code: str) -> Desk:
    """A standard desk by code (other apps file their cases on these)."""
    return Desk.objects.get(code=code)
