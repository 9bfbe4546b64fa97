"""The resident's portal home shows what construction asks of the household: the compound's
construction notice while the works are on, an undecided joint acceptance the household is a
representative at (to do first), a satisfaction check it was drawn for and has not answered;
and nothing of the kind for another household."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from anju.construction.models import SampledHousehold
from anju.construction.services import sampling as sampling_services
from anju.territory.models import Household

from .accepting import (  # noqa: F401 - fixtures
    acceptance_project,
    building_project,
    decide,
    invite_residents,
    named_project,
    open_session,
    sign_everyone,
)
from .noticing import publish
from .sampling import accept, drawn_survey, grow_compound

pytestmark = pytest.mark.django_db


def home(resident_of, household) -> str:
    page = resident_of(household).get(reverse("portal:home"))
    assert page.status_code == 200
    return page.content.decode()


def test_a_resident_finds_the_construction_notice_of_their_compound_while_the_works_are_on(
    building_project,  # noqa: F811 - the fixture
    resident_of,
):
    household = building_project.compounds.first().households.first()
    assert 'id="construction-notice-' not in home(resident_of, household)

    publish(building_project)
    body = home(resident_of, household)
    assert reverse("construction-portal:notice", args=[building_project.pk]) in body
    assert "施工公示" in body

    elsewhere = Household.objects.exclude(compound__projects=building_project).first()
    assert reverse("construction-portal:notice", args=[building_project.pk]) not in home(
        resident_of, elsewhere
    )


def test_a_representative_is_asked_first_for_the_acceptance_opinion(
    acceptance_project,  # noqa: F811 - the fixture
    resident_of,
):
    session = open_session(acceptance_project)
    (representative,) = invite_residents(session, 1)
    body = home(resident_of, representative.household)
    card = body.index(f'id="acceptance-{session.pk}"')
    assert reverse("construction-portal:acceptance", args=[session.pk]) in body
    assert "填写验收意见" in body
    assert card < body.index('id="engagement-heading"')  # to do now: above everything else

    neighbour = acceptance_project.compounds.first().households.exclude(
        pk=representative.household_id
    )[0]
    assert f'id="acceptance-{session.pk}"' not in home(resident_of, neighbour)


def test_the_card_goes_once_the_session_is_decided(
    acceptance_project,  # noqa: F811 - the fixture
    resident_of,
):
    session = open_session(acceptance_project)
    invite_residents(session, 3)
    sign_everyone(session)
    household = session.participants.filter(kind="resident").first().household
    assert "查看我的意见" in home(resident_of, household)
    decide(session)
    assert f'id="acceptance-{session.pk}"' not in home(resident_of, household)


def test_a_sampled_household_is_asked_to_answer_and_others_are_not(
    city, approved_project, jiangan_officer, resident_of
):
    grow_compound(city.jiangan_compound)
    survey = drawn_survey(accept(approved_project), jiangan_officer)
    sampled = SampledHousehold.objects.filter(survey=survey).first().household
    outsider = (
        Household.objects.filter(compound=city.jiangan_compound, is_developer_unsold=False)
        .exclude(pk__in=SampledHousehold.objects.filter(survey=survey).values("household_id"))
        .first()
    )
    answer_url = reverse("construction-portal:satisfaction-answer", args=[survey.pk])
    assert answer_url in home(resident_of, sampled)
    assert answer_url not in home(resident_of, outsider)

    sampling_services.answer_survey(
        survey=survey, household=sampled, overall=5, quality=4, conduct=4, comment=""
    )
    assert answer_url not in home(resident_of, sampled)


def test_no_card_after_the_survey_closed(city, approved_project, jiangan_officer, resident_of):
    grow_compound(city.jiangan_compound)
    survey = drawn_survey(accept(approved_project), jiangan_officer)
    sampled = SampledHousehold.objects.filter(survey=survey).first().household
    survey.closes_on = dt.date(2020, 1, 1)
    survey.save(update_fields=["closes_on"])
    assert f'id="satisfaction-{survey.pk}"' not in home(resident_of, sampled)
