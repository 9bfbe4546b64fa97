"""`anju worker`: the database task worker plus anju's reaper for jobs whose worker died, and
the periodic duties (`anju.core.duties`) when they are due."""

import threading

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import close_old_connections

from anju.core.duties import run_duties
from anju.core.tasks import reap_stalled


class Command(BaseCommand):
    help = (
        "Run the background task worker (django-tasks database queue) with the stalled-job reaper."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch", action="store_true", help="Run queued work, then exit.")

    def handle(self, *args, **options):
        stop = threading.Event()

        def reaper():
            while not stop.wait(settings.ANJU_TASK_STALE_SECONDS / 4):
                try:
                    counts = reap_stalled()
                    if any(counts.values()):
                        self.stderr.write(f"reaper: {counts}")
                    for name, done in run_duties(only_due=True).items():
                        if any(done.values()):
                            self.stderr.write(f"{name}: {done}")
                except Exception as exc:  # keep reaping after a transient database error
                    self.stderr.write(f"reaper error: {exc}")
                finally:
                    close_old_connections()

        thread = threading.Thread(target=reaper, daemon=True, name="anju-reaper")
        thread.start()
        reap_stalled()
        try:
            call_command(
                "db_worker",
                reload=False,
                batch=options["batch"],
                queue_name="*",
                verbosity=options["verbosity"],
            )
        finally:
            stop.set()
