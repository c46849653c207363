"""The `bole` command: every subcommand is a Django management command (`bole seed-demo` → seed_demo)."""

import os
import sys


def main() -> None:
    """Dispatch `bole <command> ...` to the management command of the same name."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bole.settings")
    from django.core.management import execute_from_command_line

    # Imported once the settings module is named: the data directory's helpers read settings.
    from bole.core.datadir import private_umask

    private_umask()

    argv = list(sys.argv)
    if len(argv) > 1 and not argv[1].startswith("-"):
        argv[1] = argv[1].replace("-", "_")
    execute_from_command_line(["bole", *argv[1:]])


if __name__ == "__main__":
    main()
