"""System checks that read the database (Django runs them for `check --database` and before
every `migrate`)."""

from django.core import checks
from django.db import DatabaseError


@checks.register(checks.Tags.database)
def holiday_table_check(app_configs=None, databases=None, **kwargs) -> list[checks.CheckMessage]:
    """Warn when the current or next year has no holiday entries (`holidays`'s docstring)."""
    if not databases:
        return []
    from . import holidays

    try:
        missing = holidays.years_without_entries()
    except DatabaseError:  # before the first migrate the table does not exist yet
        return []
    if not missing:
        return []
    return [
        checks.Warning(holidays.missing_years_message(missing), id="anju.W001", obj="core.Holiday")
    ]
