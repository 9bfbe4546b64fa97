"""The `anju` command: Django's management-command runner with anju's settings."""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "anju.settings.development")
    from django.core.management import execute_from_command_line

    args = list(sys.argv[1:] if argv is None else argv)
    if args and not args[0].startswith("-"):
        args[0] = args[0].replace("-", "_")  # `anju generate-city` is `generate_city`
    execute_from_command_line(["anju", *args])


if __name__ == "__main__":
    main()
