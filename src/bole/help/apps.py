from django.utils.translation import gettext_lazy as _

from bole.core.plugins import BoleApp, Nav


class HelpConfig(BoleApp):
    """使用指南: a guide for each role, illustrated with the screenshots the browser tests take."""

    name = "bole.help"
    label = "help"
    verbose_name = _("使用指南")

    urls = "bole.help.urls"
    policy = "bole.help.permissions.policy"
    nav = [Nav(_("使用指南"), "help-index", "system", order=90)]
