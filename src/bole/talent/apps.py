from django.utils.translation import gettext_lazy as _

from bole.core.plugins import BoleApp


class TalentConfig(BoleApp):
    name = "bole.talent"
    label = "talent"
    verbose_name = _("人才队伍")
