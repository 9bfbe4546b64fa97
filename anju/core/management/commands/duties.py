"""`anju duties`: run every periodic duty once (reminders, escalations), e.g. from cron."""

from django.core.management.base import BaseCommand

from anju.core.duties import registered_duties, run_duties


class Command(BaseCommand):
    help = "Run the periodic duties once (overdue reminders and escalations)."

    def add_arguments(self, parser):
        parser.add_argument("--list", action="store_true", help="List the duties, run nothing.")

    def handle(self, *args, **options):
        if options["list"]:
            for duty in registered_duties():
                self.stdout.write(f"{duty.name}\tevery {duty.every}")
            return
        for name, counts in run_duties().items():
            self.stdout.write(f"{name}: {counts}")
