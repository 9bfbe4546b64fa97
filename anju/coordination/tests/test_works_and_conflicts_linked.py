"""A work and its dig-once conflicts point at each other: the compounds a work concerns are
those its owner named and those of the plan it conflicts with (a work given as a line names
none, yet concerns the compound it runs past); the work page lists its conflicts with links and
the conflict page links to the work. A joint window must lie within both the renovation's and
the work's windows, and the form shows the window agreed earlier."""

import datetime as dt

import pytest
from django.urls import reverse

from anju.access.scope import scope_for
from anju.coordination import conflicts, works
from anju.coordination.models import Conflict
from anju.coordination.tests.factories import conflicts_in_both_districts
from anju.core.errors import DomainError

pytestmark = pytest.mark.django_db


@pytest.fixture
def both(city):
    return conflicts_in_both_districts(city)


def test_a_work_concerns_the_compounds_it_conflicts_with(both, city, city_officer):
    own, _other = both
    listed = works.work_list(scope=scope_for(city_officer)).get(pk=own.work_id)
    assert listed.compound_count == 1
    assert [c.code for c in works.compounds_of(own.work)] == [city.jiangan_compound.code]


def test_the_work_page_lists_its_conflicts_and_the_conflict_page_links_the_work(
    both, city, jiangan_officer, client_as
):
    own, _other = both
    client = client_as(jiangan_officer)
    work_page = client.get(reverse("coordination:work-detail", args=[own.work_id])).content
    conflict_url = reverse("coordination:conflict-detail", args=[own.pk])
    assert conflict_url.encode() in work_page
    assert city.jiangan_compound.name.encode() in work_page
    conflict_page = client.get(conflict_url).content
    assert reverse("coordination:work-detail", args=[own.work_id]).encode() in conflict_page


def resolve_joint(conflict, officer, starts_on, ends_on):
    return conflicts.resolve(
        actor=officer,
        scope=scope_for(officer),
        conflict=conflict,
        status="joint",
        joint_starts_on=starts_on,
        joint_ends_on=ends_on,
    )


def test_a_joint_window_outside_either_schedule_is_refused(both, jiangan_officer):
    own, _other = both  # renovation 2027-03-01 – 11-30, work 2027-05-01 – 06-30
    for starts_on, ends_on in (
        (dt.date(2027, 4, 1), dt.date(2027, 6, 30)),  # starts before the work
        (dt.date(2027, 5, 1), dt.date(2027, 7, 31)),  # ends after the work
        (dt.date(2026, 5, 1), dt.date(2026, 6, 30)),  # before the renovation
    ):
        with pytest.raises(DomainError) as error:
            resolve_joint(own, jiangan_officer, starts_on, ends_on)
        assert "2027-05-01" in error.value.message and "2027-06-30" in error.value.message
    own.refresh_from_db()
    assert own.status == "open"
    resolve_joint(own, jiangan_officer, dt.date(2027, 5, 10), dt.date(2027, 6, 20))
    own.refresh_from_db()
    assert own.status == "joint"


def test_schedules_that_do_not_overlap_cannot_be_built_together(both, jiangan_officer):
    own, _other = both
    Conflict.objects.filter(pk=own.pk).update(
        project_starts_on=dt.date(2027, 8, 1), relation="after"
    )
    own.refresh_from_db()
    with pytest.raises(DomainError) as error:
        resolve_joint(own, jiangan_officer, dt.date(2027, 6, 1), dt.date(2027, 6, 30))
    assert "没有重叠" in error.value.message


def test_the_form_shows_the_joint_window_agreed_earlier(both, jiangan_officer, client_as):
    own, _other = both
    resolve_joint(own, jiangan_officer, dt.date(2027, 5, 10), dt.date(2027, 6, 20))
    page = client_as(jiangan_officer).get(reverse("coordination:conflict-detail", args=[own.pk]))
    text = page.content.decode()
    assert 'value="2027-05-10"' in text and 'value="2027-06-20"' in text
