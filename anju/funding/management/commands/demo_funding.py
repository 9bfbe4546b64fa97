"""`anju demo-funding`: money in the demo city (run by `anju demo`).

Each chapter adds its own part in its section below; every part is idempotent and goes
through funding's services, so the demo's postings are audited like real ones.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Demo data for funding (funding plans, ledger, cost sharing, contracts)."

    def handle(self, *args, **options):
        self.ledger()
        self.sharing()
        self.contracts()

    # --- ledger ---
    def ledger(self) -> None:
        pass

    # --- sharing ---
    def sharing(self) -> None:
        pass

    # --- contracts ---
    def contracts(self) -> None:
        pass
