from django.utils.translation import gettext_lazy as _

from bole.core.plugins import BoleApp, Nav, Tile


class OrgConfig(BoleApp):
    """Registers: regions, units, people, enterprises, accounts and roles."""

    name = "bole.org"
    label = "org"
    verbose_name = _("基础名册")

    urls = "bole.org.urls"
    api = "bole.org.api.router"
    policy = "bole.org.permissions.policy"
    nav = [
        Nav(_("组织树"), "tree", "registers"),
        Nav(_("人员"), "people-list", "registers"),
        Nav(_("单位"), "units-list", "registers"),
        Nav(_("企业"), "enterprises-list", "registers", ability="enterprises_menu"),
        Nav(_("行政区划"), "regions-list", "registers", ability="regions_menu"),
        Nav(_("区县对比"), "counties", "system", ability="compare_menu", order=5),
    ]
    # The demo's registers come first of all (bole.cockpit.demo), so no `demo` here.
    pickers = ["bole.org.pickers.PEOPLE", "bole.org.pickers.SECTION_LEADERS", "bole.org.pickers.COUNTY_PEOPLE",
               "bole.org.pickers.UNITS", "bole.org.pickers.OFFICE_UNITS"]
    registers = ["bole.org.registers.REGIONS", "bole.org.registers.UNITS", "bole.org.registers.PEOPLE",
                 "bole.org.registers.ENTERPRISES"]
    tiles = [Tile("bole.org.views.home_cards")]
