"""The home pages read every app: the cases' and the home branches' fixtures are shared here."""

from tests.cases.conftest import catchall, desks, new_case  # noqa: F401  (fixtures)
from tests.community.conftest import _fast_passwords, clock, home  # noqa: F401  (fixtures)
