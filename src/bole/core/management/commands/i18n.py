from pathlib import Path

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Compile the .po translations to .mo without GNU gettext (used by the setup command)."

    def handle(self, *args, **opts):
        import polib

        root = Path(__file__).resolve().parents[3] / "locale"
        for po_path in root.glob("*/LC_MESSAGES/*.po"):
            polib.pofile(str(po_path)).save_as_mofile(str(po_path.with_suffix(".mo")))
            self.stdout.write(f"compiled {po_path.relative_to(root)}")
