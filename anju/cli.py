"""The `anju` command: Django's management-command runner with anju's settings."""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "anju.settings.development")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["anju", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    main()
