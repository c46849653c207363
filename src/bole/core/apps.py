from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """Shared foundations: audit trail, scoping, Excel, generic register views."""

    name = "bole.core"
    label = "core"
    verbose_name = _("基础")
