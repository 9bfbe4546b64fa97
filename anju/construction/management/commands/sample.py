"""`anju sample show <project-code>` and `anju sample verify <project-code>`.

show    prints what a satisfaction draw publishes: the seed, the parameters, the size
        computation, each building's households and share, and the chosen labels in rank
        order with their rank keys (no names, phones or sign-in codes).
verify  re-draws from the recorded seed and the registry as it is now (docs/sampling.md)
        and compares with the recorded sample; exit status 0 when they are the same, 1 with
        every difference listed otherwise. It also checks the recorded population, sample
        size and each row's rank key and label.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from anju.construction.models import SatisfactionSurvey
from anju.construction.selectors import sampling as selectors


class Command(BaseCommand):
    help = "Show or verify a project's satisfaction sample (re-drawn from its recorded seed)."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["show", "verify"])
        parser.add_argument("project_code", help="the project's code, e.g. 2027-420102-001")

    def handle(self, *args, action: str, project_code: str, **options):
        survey = (
            SatisfactionSurvey.objects.filter(project__code=project_code.strip())
            .select_related("project")
            .first()
        )
        if survey is None:
            raise CommandError(f"no satisfaction sample recorded for project {project_code!r}")
        if action == "show":
            self.show(survey)
            return
        differences = selectors.verify_survey(survey)
        if differences:
            for difference in differences:
                self.stdout.write(f"- {difference}")
            raise CommandError(
                f"the recorded sample of {survey.project.code} differs from the re-draw "
                f"({len(differences)} difference(s))",
                returncode=1,
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"{survey.project.code}: the recorded sample of {survey.sample_size} households "
                f"is exactly what seed {survey.seed} draws"
            )
        )

    def show(self, survey: SatisfactionSurvey) -> None:
        figures = selectors.draw_figures(survey)
        write = self.stdout.write
        write(f"project     {survey.project.code} {survey.project.name}")
        write(f"seed        {survey.seed}")
        write(f"confidence  {survey.confidence}   margin  {survey.margin}")
        write(f"population  {survey.population}   n  {survey.sample_size}")
        for line in figures.formula_lines:
            write(f"            {line}")
        write(f"drawn at    {survey.drawn_at.isoformat()}   closes on  {survey.closes_on}")
        write("allocation")
        for row in figures.rows:
            write(f"  {row.name}: {row.allocated} of {row.households}")
        write("labels (building, rank order, rank key)")
        for row in selectors.sample_of(survey).order_by("building__number", "rank_key"):
            write(f"  {row.building.number}  {row.household_code}  {row.rank_key}")
