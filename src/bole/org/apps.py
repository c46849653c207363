from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgConfig(AppConfig):
    """Registers: regions, units, people, enterprises, accounts and roles."""

    name = "bole.org"
    label = "org"
    verbose_name = _("基础名册")
