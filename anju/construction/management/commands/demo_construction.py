"""`anju demo-construction`: a project under construction in the demo city (run by `anju demo`).

Each chapter adds its own part in its section below; every part is idempotent and goes
through construction's services, so the demo's records are audited like real ones.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Demo data for construction (parties, schedule, progress, inspections, acceptance)."

    def handle(self, *args, **options):
        self.parties_and_schedule()
        self.notices()
        self.inspections()
        self.acceptance()
        self.sampling()

    # --- parties and schedule ---
    def parties_and_schedule(self) -> None:
        pass

    # --- notices ---
    def notices(self) -> None:
        pass

    # --- inspections ---
    def inspections(self) -> None:
        pass

    # --- acceptance ---
    def acceptance(self) -> None:
        pass

    # --- sampling ---
    def sampling(self) -> None:
        pass
