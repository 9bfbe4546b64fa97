"""The satisfaction check as the viewer may read it: the sampling frame a project is drawn
from, its survey with the recorded sample, the figures of the draw, what is published of it
(`published_draw`: the staff sample page and, for anyone, the construction notice), and
satisfaction per project, district and construction unit with non-response shown.

The frame (who can be drawn)
    * Every household of the project's compounds except those the developer never sold
      (`Household.is_developer_unsold`): nobody lives there to ask, and counting them would
      make the sample smaller than the residents need. The frame is read from the registry
      as it is when the draw is made; `anju sample verify` reads it again, so a registry
      change after the draw shows up as a difference, as it should.
    * Strata are buildings. A household's public label is "building-unit-room" (e.g.
      "1栋-1单元-101"); a project of several compounds prefixes the compound code to both
      (e.g. "420102001001001-1栋-1单元-101"), so labels stay unique within the project. The
      label is what is published with the seed; the secret sign-in code is never used.

Scope: surveys are found through the projects the viewer may see (`projects_in_scope`), so
another district's survey answers 404 like a missing one. A resident finds a survey only
through a project holding their household's compound.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Avg, Count, Q, QuerySet
from django.utils.translation import gettext as _

from anju.core.errors import NotFound
from anju.core.scope import Scope
from anju.engine import sampling as engine
from anju.planning.models import Project
from anju.territory.models import Building, Household

from ..models import PartyRole, ProjectParty, SampledHousehold, SatisfactionAnswer
from ..models import SatisfactionSurvey as Survey
from .projects import projects_in_scope

# --- the frame --------------------------------------------------------------------------------


@dataclass
class Frame:
    """Who can be drawn: strata (building name → labels, in registry order), each label's
    household and each stratum's building."""

    strata: dict[str, list[str]] = field(default_factory=dict)
    households: dict[str, Household] = field(default_factory=dict)
    buildings: dict[str, Building] = field(default_factory=dict)

    @property
    def population(self) -> int:
        return len(self.households)

    def stratum_of(self, building: Building) -> str | None:
        return next((name for name, b in self.buildings.items() if b.pk == building.pk), None)


def sampling_frame(project: Project) -> Frame:
    """The project's residents' households by building (see "The frame"), one query."""
    households = (
        Household.objects.filter(compound__projects=project, is_developer_unsold=False)
        .select_related("unit__building__compound")
        .order_by("compound__code", "unit__building__number", "unit__number", "room")
    )
    households = list(households)
    several = len({household.compound_id for household in households}) > 1
    frame = Frame()
    for household in households:
        building = household.unit.building
        stratum = building_label(building, several=several)
        label = household_label(household, several=several)
        frame.strata.setdefault(stratum, []).append(label)
        frame.households[label] = household
        frame.buildings.setdefault(stratum, building)
    return frame


def building_label(building: Building, *, several: bool) -> str:
    return f"{building.compound.code}-{building.number}" if several else building.number


def household_label(household: Household, *, several: bool) -> str:
    unit = household.unit
    label = f"{unit.building.number}-{unit.number}-{household.room}"
    return f"{unit.building.compound.code}-{label}" if several else label


# --- surveys ----------------------------------------------------------------------------------


def surveys_in_scope(scope: Scope) -> QuerySet:
    return Survey.objects.filter(project__in=projects_in_scope(scope)).select_related(
        "project__district"
    )


def survey_of(project: Project) -> Survey | None:
    return Survey.objects.filter(project=project).select_related("project__district").first()


def get_survey(scope: Scope, project_pk) -> Survey:
    """The survey of a project the viewer sees; no survey yet is not found too."""
    survey = surveys_in_scope(scope).filter(project_id=project_pk).first()
    if survey is None:
        raise NotFound()
    return survey


def sample_of(survey: Survey) -> QuerySet:
    """The recorded sample, building by building in rank order."""
    return SampledHousehold.objects.filter(survey=survey).select_related(
        "building__compound", "household"
    )


def answers_of(survey: Survey) -> QuerySet:
    return (
        SatisfactionAnswer.objects.filter(survey=survey)
        .select_related("recorded_by")
        .order_by("answered_at", "pk")
    )


def answer_labels(survey: Survey) -> dict[int, str]:
    """household pk → public label, for the households in the sample."""
    return dict(sample_of(survey).values_list("household_id", "household_code"))


def sample_choices(survey: Survey) -> list[tuple[int, str]]:
    """(SampledHousehold pk, label) of the sampled households, those still to answer first;
    an answered one is marked (choosing it again is refused by the service as a conflict)."""
    answered = set(
        SatisfactionAnswer.objects.filter(survey=survey).values_list("household_id", flat=True)
    )
    rows = list(sample_of(survey).values_list("pk", "household_id", "household_code"))
    waiting = [(pk, label) for pk, household, label in rows if household not in answered]
    done = [
        (pk, _("%(label)s（已答）") % {"label": label})
        for pk, household, label in rows
        if household in answered
    ]
    return waiting + done


def is_open(survey: Survey, today) -> bool:
    """Answers are taken until closes_on (inclusive), unless the survey was closed earlier."""
    return survey.closed_at is None and today <= survey.closes_on


# --- the figures of the draw ------------------------------------------------------------------


@dataclass(frozen=True)
class StratumRow:
    name: str
    households: int
    allocated: int
    labels: tuple[str, ...]
    population_labels: tuple[str, ...] = ()


@dataclass(frozen=True)
class DrawFigures:
    """What the sample page publishes: the size computation, the allocation per building and
    the sample's labels. Public values only (no names, phones or sign-in codes)."""

    size: engine.SampleSize
    rows: list[StratumRow]

    @property
    def formula_lines(self) -> tuple[str, str]:
        return self.size.formula_lines()


def draw_figures(survey: Survey) -> DrawFigures:
    """From the recorded survey: the size from its parameters and population, each building's
    households now and its recorded share and labels in rank order."""
    size = engine.sample_size(
        survey.population, confidence=str(survey.confidence), margin=str(survey.margin)
    )
    frame = sampling_frame(survey.project)
    recorded: dict[int, list[str]] = {}
    for row in sample_of(survey).order_by("building__number", "rank_key"):
        recorded.setdefault(row.building_id, []).append(row.household_code)
    rows = []
    seen = set()
    for name, labels in frame.strata.items():
        building = frame.buildings[name]
        chosen = tuple(recorded.get(building.pk, ()))
        seen.add(building.pk)
        rows.append(StratumRow(name, len(labels), len(chosen), chosen, tuple(labels)))
    for building_pk, labels in recorded.items():  # a building gone from the registry since
        if building_pk not in seen:
            building = Building.objects.select_related("compound").get(pk=building_pk)
            rows.append(StratumRow(building.number, 0, len(labels), tuple(labels)))
    return DrawFigures(size=size, rows=rows)


# --- what is published of a draw -------------------------------------------------------------

SHELL_SAFE = frozenset("-_.,:/@%+=")


@dataclass(frozen=True)
class Recipe:
    """The shell recipe of docs/sampling.md §3 for one building: its labels ranked by
    SHA-256(seed + label), the first `share` printed. `script` is plain text, nothing to
    translate; labels with characters a shell would read are single-quoted."""

    building: str
    share: int
    script: str


RANK_LINE = (
    '  printf \'%s %s\\n\' "$(printf \'%s%s\' "$seed" "$label" | sha256sum | cut -c1-64)" "$label"'
)


def shell_recipe(seed: str, labels: Iterable[str], share: int) -> str:
    """The recipe as a script for any POSIX shell with GNU coreutils (docs/sampling.md §3)."""
    words = " ".join(_shell_word(label) for label in labels)
    return "\n".join(
        (
            "export LC_ALL=C.UTF-8",
            f"seed={_shell_word(seed)}",
            f"for label in {words}; do",
            RANK_LINE,
            f"done | LC_ALL=C sort | head -n {share}",
        )
    )


def _shell_word(text: str) -> str:
    """`text` as one shell word: bare when it is letters, digits (any script) and -_.,:/@%+=,
    else single-quoted."""
    if text and all(ch.isalnum() or ch in SHELL_SAFE for ch in text):
        return text
    return "'" + text.replace("'", "'\\''") + "'"


@dataclass(frozen=True)
class PublishedDraw:
    """What is published of a drawn sample, the same on the staff sample page, the public
    construction notice page and the public notice API (issue 11: anyone re-draws it from the
    recorded seed): the survey's parameters and seed, the size computation and the allocation
    with the labels (`figures`), the response (counts and rates only, never an answer), the
    shell recipe for one building and the command that re-draws the whole sample."""

    survey: Survey
    figures: DrawFigures
    stats: Satisfaction
    recipe: Recipe | None

    @property
    def verify_command(self) -> str:
        return f"anju sample verify {self.survey.project.code}"


def published_draw(survey: Survey) -> PublishedDraw:
    figures = draw_figures(survey)
    example = next((row for row in figures.rows if row.population_labels), None)
    recipe = None
    if example is not None:
        script = shell_recipe(survey.seed, example.population_labels, example.allocated)
        recipe = Recipe(building=example.name, share=example.allocated, script=script)
    return PublishedDraw(
        survey=survey, figures=figures, stats=project_satisfaction(survey), recipe=recipe
    )


def public_draw(project: Project) -> PublishedDraw | None:
    """The published draw of a project for anyone (the public construction notice); None
    before the sample is drawn. Public values only: labels, never codes, names or phones."""
    survey = survey_of(project)
    return None if survey is None else published_draw(survey)


def recorded_sample(survey: Survey, frame: Frame) -> dict[str, list[str]]:
    """The recorded labels by stratum name (as the frame names the buildings)."""
    names = {building.pk: name for name, building in frame.buildings.items()}
    recorded: dict[str, list[str]] = {}
    for row in sample_of(survey):
        name = names.get(row.building_id, f"#{row.building_id}")
        recorded.setdefault(name, []).append(row.household_code)
    return recorded


def verify_survey(survey: Survey) -> list[str]:
    """Re-draw from the recorded seed and the current registry and compare with the recorded
    sample; the differences in English (empty when the record is exactly what the seed
    gives). Also checked: the population and sample size, each row's rank key, and that each
    row's label is still its household's label."""
    frame = sampling_frame(survey.project)
    differences = []
    if frame.population != survey.population:
        differences.append(
            f"population: recorded {survey.population}, the registry now has {frame.population}"
        )
    size = engine.sample_size(
        frame.population, confidence=str(survey.confidence), margin=str(survey.margin)
    )
    if size.n != survey.sample_size:
        differences.append(f"sample size: recorded {survey.sample_size}, recomputed {size.n}")
    labels_now = {household.pk: label for label, household in frame.households.items()}
    for row in sample_of(survey):
        if labels_now.get(row.household_id) != row.household_code:
            differences.append(
                f"row {row.pk}: label {row.household_code!r} is not the label of its household"
                f" ({labels_now.get(row.household_id, 'not in the population')!r})"
            )
        if row.rank_key != engine.rank_key(survey.seed, row.household_code):
            differences.append(f"row {row.pk}: rank key of {row.household_code!r} is not its hash")
    differences += engine.verify(
        frame.strata, survey.seed, survey.sample_size, recorded_sample(survey, frame)
    )
    return differences


# --- satisfaction -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Satisfaction:
    """Satisfaction of a group of surveys (one project, a district, a construction unit).

    Shares are of the answers received; the non-response rate is of the households drawn, so
    a low turnout is visible next to the satisfaction it qualifies."""

    label: str
    surveys: int
    sample_size: int
    responses: int
    satisfied: int
    mean_overall: Decimal | None
    mean_quality: Decimal | None
    mean_conduct: Decimal | None
    by_channel: dict[str, int] = field(default_factory=dict)

    @property
    def non_responses(self) -> int:
        return max(self.sample_size - self.responses, 0)

    @property
    def response_rate(self) -> Decimal | None:
        return _share(self.responses, self.sample_size)

    @property
    def non_response_rate(self) -> Decimal | None:
        return _share(self.non_responses, self.sample_size)

    @property
    def satisfied_share(self) -> Decimal | None:
        return _share(self.satisfied, self.responses)


def _share(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"))


def _mean(value) -> Decimal | None:
    return None if value is None else Decimal(str(value)).quantize(Decimal("0.01"))


def _satisfaction(label: str, surveys: Iterable[Survey]) -> Satisfaction:
    surveys = list(surveys)
    answers = SatisfactionAnswer.objects.filter(survey__in=[s.pk for s in surveys])
    figures = answers.aggregate(
        responses=Count("pk"),
        satisfied=Count("pk", filter=Q(overall__gte=4)),
        overall=Avg("overall"),
        quality=Avg("quality"),
        conduct=Avg("conduct"),
    )
    channels = dict(answers.values_list("channel").annotate(n=Count("pk")).order_by())
    return Satisfaction(
        label=label,
        surveys=len(surveys),
        sample_size=sum(survey.sample_size for survey in surveys),
        responses=figures["responses"],
        satisfied=figures["satisfied"],
        mean_overall=_mean(figures["overall"]),
        mean_quality=_mean(figures["quality"]),
        mean_conduct=_mean(figures["conduct"]),
        by_channel=channels,
    )


def project_satisfaction(survey: Survey) -> Satisfaction:
    return _satisfaction(survey.project.name, [survey])


def satisfaction_by_district(scope: Scope) -> list[Satisfaction]:
    """One row per district of the viewer's surveys, by district code."""
    groups: dict[tuple[str, str], list[Survey]] = {}
    for survey in surveys_in_scope(scope).order_by("project__district__code", "project__code"):
        district = survey.project.district
        groups.setdefault((district.code, district.name), []).append(survey)
    return [_satisfaction(name, surveys) for (_code, name), surveys in groups.items()]


def satisfaction_by_construction_unit(scope: Scope) -> list[Satisfaction]:
    """One row per construction unit (ProjectParty role construction) of the viewer's surveys;
    projects with no construction unit named come last under their own row."""
    surveys = list(surveys_in_scope(scope).order_by("project__code"))
    units = dict(
        ProjectParty.objects.filter(
            role=PartyRole.CONSTRUCTION, project__in=[s.project_id for s in surveys]
        ).values_list("project_id", "organisation__name")
    )
    groups: dict[str, list[Survey]] = {}
    unnamed: list[Survey] = []
    for survey in surveys:
        name = units.get(survey.project_id)
        if name is None:
            unnamed.append(survey)
        else:
            groups.setdefault(name, []).append(survey)
    rows = [_satisfaction(name, groups[name]) for name in sorted(groups)]
    if unnamed:
        rows.append(_satisfaction(_("未登记施工单位"), unnamed))
    return rows


# --- residents --------------------------------------------------------------------------------


def surveys_for_household(household: Household) -> QuerySet:
    """The surveys of projects holding the household's compound, newest first."""
    return (
        Survey.objects.filter(project__compounds=household.compound_id)
        .select_related("project")
        .order_by("-drawn_at")
    )


def get_survey_for_household(household: Household, pk) -> Survey:
    survey = surveys_for_household(household).filter(pk=pk).first()
    if survey is None:
        raise NotFound()
    return survey


def is_sampled(survey: Survey, household: Household) -> bool:
    return SampledHousehold.objects.filter(survey=survey, household=household).exists()


def answer_of(survey: Survey, household: Household) -> SatisfactionAnswer | None:
    return SatisfactionAnswer.objects.filter(survey=survey, household=household).first()
