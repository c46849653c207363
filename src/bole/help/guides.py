"""The guides and their screenshots, in one list read by the pages, the template tag and the browser test that
takes the screenshots (tests/e2e/test_help_shots.py): a guide names its shots, a shot its caption and the screen
it is taken on (a phone for the roles that work on one)."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import Any

from django.utils.translation import gettext_lazy as _

SHOT_DIR = "help"  # under static/: static/help/<name>.png


@dataclass(frozen=True)
class Shot:
    """A screenshot a guide shows: static/help/<name>.png, with its caption (the text stands in when the file is
    missing)."""

    name: str
    caption: Any
    phone: bool = False  # taken at 390 px (else 1366 px)

    @property
    def path(self) -> str:
        return f"{SHOT_DIR}/{self.name}.png"


@dataclass(frozen=True)
class Guide:
    """One page of help: a role's guide (`ability` of the help policy says whose it is) or a general topic."""

    slug: str
    title: Any
    summary: Any
    ability: str = ""  # the help policy's ability that makes it the user's own guide; "" for a general topic
    public: bool = False  # readable without a login (the resident's)
    shots: tuple[Shot, ...] = field(default_factory=tuple)

    @property
    def template(self) -> str:
        return f"help/{self.slug}.html"


GUIDES: tuple[Guide, ...] = (
    Guide("county", _("县（市）组织部管理员"),
          _("驾驶舱、大屏、奔跑赶超考核的方案与轮次、异议答复、各项机制的审核与发布、工作日历和后台任务。"),
          ability="guide_county", shots=(
              Shot("county-cockpit", _("驾驶舱：各机制的本期数字、待办、预警和镇街赛马榜")),
              Shot("county-menu", _("菜单按干部队伍、基层治理、人才队伍、名册和系统分组")),
              Shot("county-assessment", _("奔跑赶超积分制考核：方案和各轮次")),
              Shot("county-round", _("考核轮次：状态、等次分布和下一步操作")),
              Shot("county-ranking", _("排名：按排名组、单位和等次筛选，可打印公示名单和导出 Excel")),
              Shot("county-cases", _("诉求办理：红黄绿灯显示办理期限")),
              Shot("county-calendar", _("工作日历：导入国务院放假通知并确认本年安排")),
              Shot("county-screen", _("大屏：本辖区的各项数字，每分钟刷新")),
          )),
    Guide("town", _("镇街管理员"),
          _("本镇街的驾驶舱和在镇街赛马榜中的位置，本辖区的名册、诉求和重点项目。"),
          ability="guide_town", shots=(
              Shot("town-cockpit", _("镇街的驾驶舱：本镇街的数字和待办")),
              Shot("town-cases", _("本镇街承办和协办的诉求")),
              Shot("town-people", _("人员名册：导入、导出和新建")),
          )),
    Guide("unit", _("单位管理员 / 社区"),
          _("维护本单位的人员和数据，社区管理家园支部、楼道认领和居民诉求。"),
          ability="guide_unit", shots=(
              Shot("unit-home", _("社区管理员的驾驶舱")),
              Shot("unit-branch", _("家园支部：楼道、认领党员和打印楼道二维码")),
              Shot("unit-ledger", _("登记积分：人员或单位、周期、类别、分值和事由")),
          )),
    Guide("cadre", _("干部（含揭榜干部）"),
          _("我的积分、排名和得分明细，提出异议，揭榜挂帅，领办项目，担当之星和选调生成长档案。"),
          ability="guide_cadre", shots=(
              Shot("cadre-home", _("我的工作台：本季度和本年度积分、名次和待办")),
              Shot("cadre-assessment", _("我的考核结果")),
              Shot("cadre-explain", _("得分明细：每项指标的原始值、标准化得分和权重")),
              Shot("cadre-ledger", _("我的积分明细")),
              Shot("cadre-board", _("揭榜挂帅 · 英雄榜")),
              Shot("cadre-challenge", _("榜单详情：攻坚目标、验收标准和节点")),
          )),
    Guide("judge", _("评委 / 测评人"),
          _("在手机上为选手打分、提交评分；扫码填写匿名测评票。"),
          ability="guide_judge", shots=(
              Shot("judge-home", _("我的评委任务"), phone=True),
              Shot("judge-event", _("选手列表：待评、回避和提交全部评分"), phone=True),
              Shot("judge-subject", _("为一名选手逐项打分"), phone=True),
          )),
    Guide("enterprise", _("企业"),
          _("向兜底办提交问题，查看办理进度和期限，办结后评价。"),
          ability="guide_enterprise", shots=(
              Shot("enterprise-home", _("企业的工作台"), phone=True),
              Shot("enterprise-portal", _("我的诉求：编号、状态和办理期限"), phone=True),
              Shot("enterprise-submit", _("向兜底办提交问题"), phone=True),
          )),
    Guide("party", _("党员（家园支部）"),
          _("查看认领的楼道和楼道里的居民诉求，在手机上跟进办理。"),
          ability="guide_party", shots=(
              Shot("party-home", _("我的工作台：我认领的楼道和它们的诉求"), phone=True),
              Shot("party-case", _("一件居民诉求：内容、期限、办理和办理记录"), phone=True),
          )),
    Guide("resident", _("居民"),
          _("不用登录：扫楼道二维码提交诉求，凭专属链接查看进度并评价。"),
          public=True, shots=(
              Shot("resident-form", _("扫码后填写诉求"), phone=True),
              Shot("resident-follow", _("诉求进度：凭链接查看办理情况并评价"), phone=True),
          )),
)

TOPICS: tuple[Guide, ...] = (
    Guide("account", _("登录与账号"), _("登录、退出、修改密码、中英文切换、通知和 API 令牌。"), shots=(
        Shot("account-login", _("登录页")),
        Shot("account-page", _("我的账号")),
    )),
    Guide("imports", _("导入导出"), _("名册和考核数据的 Excel 模板、整表校验导入、导出和后台任务页。"), shots=(
        Shot("imports-import", _("导入页：下载模板，上传后先检查整个文件")),
        Shot("imports-errors", _("检查结果：逐条列出出错的行、列和原因，一条也不写入")),
        Shot("imports-jobs", _("后台任务：进度、结果和定时任务")),
    )),
    Guide("figures", _("数据口径"), _("每个数字统计的是哪一段时间：本期、本年、累计和当前数。"), shots=(
        Shot("figures-period", _("驾驶舱的统计周期选择")),
    )),
)


@cache
def by_slug() -> dict[str, Guide]:
    return {g.slug: g for g in (*GUIDES, *TOPICS)}


@cache
def shots_by_name() -> dict[str, Shot]:
    return {s.name: s for g in (*GUIDES, *TOPICS) for s in g.shots}


def guides_for(user, may) -> tuple[list[Guide], list[Guide]]:
    """The role guides split into the user's own and the others, each in list order; `may(user, ability)` is the
    help policy's answer."""
    own = [g for g in GUIDES if g.ability and may(user, g.ability)]
    return own, [g for g in GUIDES if g not in own]
