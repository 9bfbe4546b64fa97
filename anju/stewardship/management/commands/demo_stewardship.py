"""`anju demo-stewardship`: long-term management in the demo city (run by `anju demo`).

Each chapter adds its own part in its section below; every part is idempotent (a second
`anju demo` changes nothing) and goes through stewardship's services, so the demo's records
are audited like real ones.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Demo data for long-term management (schemes, coverage, meetings, problem reports)."

    def handle(self, *args, **options):
        self.schemes()
        self.coverage()
        self.governance()
        self.reports()

    # --- schemes ---
    def schemes(self) -> None:
        pass

    # --- coverage ---
    def coverage(self) -> None:
        pass

    # --- governance ---
    def governance(self) -> None:
        pass

    # --- reports ---
    def reports(self) -> None:
        pass
