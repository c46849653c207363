from django.utils.translation import gettext_lazy as _

from .plugins import BoleApp, Nav, Periodic


class CoreConfig(BoleApp):
    """Shared foundations: audit trail, scoping, Excel, generic register views."""

    name = "bole.core"
    label = "core"
    verbose_name = _("基础")

    api = "bole.core.api_routes.router"
    policy = "bole.core.permissions.policy"
    nav = [
        Nav(_("审计日志"), "audit", "system", ability="audit", order=10),
        Nav(_("后台任务"), "jobs", "system", ability="jobs_menu", order=20),
    ]
    periodic = [
        Periodic(name="core.sessions", every=86400, func="bole.core.jobs.clear_sessions", label=_("清理过期登录会话")),
        Periodic(name="core.rate_counters", every=86400, func="bole.core.jobs.clear_rate_counters", label=_("清理过期限流计数")),
        Periodic(name="core.jobs_reap", every=60, func="bole.core.jobs.reap_jobs", label=_("接管中断的后台任务")),
        Periodic(name="core.jobs_clear", every=86400, func="bole.core.jobs.clear_jobs", label=_("清理 30 天前的后台任务")),
    ]
