from django.utils.translation import gettext_lazy as _

from bole.core.plugins import BoleApp


class CockpitConfig(BoleApp):
    """The top of the platform: the home page's tiles, the figures every app declares, the demo that seeds them."""

    name = "bole.cockpit"
    label = "cockpit"
    verbose_name = _("工作台")

    urls = "bole.cockpit.urls"
    api = "bole.cockpit.api.router"
    policy = "bole.cockpit.permissions.policy"
