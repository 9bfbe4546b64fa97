"""`works.upsert_work`, `cancel_work` and `work_list`: idempotent by the owner's id, checked
like the API, stored in WGS84, placed in a district, and seen only by whom it concerns."""

import prcoords
import pytest

from anju.access.models import Organisation
from anju.coordination import works
from anju.coordination.models import Work, WorkStatus
from anju.core.audit import events_for
from anju.core.errors import DomainError, NotFound, PermissionDenied
from anju.core.models import AuditEvent
from anju.engine.geo import distance_m, from_wgs84

from .works_helpers import (
    IN_JIANGAN,
    IN_WUCHANG,
    assign,
    city_scope,
    district_scope,
    line,
    nothing_written,
    utility_in,
    utility_scope,
    values,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def water(city):
    return utility_in(city, "江城水务", "water-user")


@pytest.fixture
def gas(city):
    return utility_in(city, "江城燃气", "gas-user")


def upsert(organisation, scope=None, external_id="GS-001", **overrides):
    return works.upsert_work(
        actor=None,
        scope=scope or utility_scope(organisation),
        organisation=organisation,
        external_id=external_id,
        values=values(**overrides),
    )


def test_the_same_upsert_twice_leaves_one_work_and_one_event(water):
    organisation, _user = water

    first, created = upsert(organisation)
    second, created_again = upsert(organisation)

    assert (created, created_again) == (True, False)
    assert first.pk == second.pk
    assert Work.objects.count() == 1
    assert [e.verb for e in events_for(first)] == ["work.created"]


def test_a_change_is_one_event_naming_only_what_changed(water):
    organisation, _user = water
    work, _ = upsert(organisation)

    upsert(organisation, ends_on="2026-07-31")

    changed = AuditEvent.objects.get(verb="work.changed")
    assert changed.before == {"ends_on": "2026-06-30"}
    assert changed.after == {"ends_on": "2026-07-31"}
    work.refresh_from_db()
    assert str(work.ends_on) == "2026-07-31"


def test_a_status_left_out_keeps_the_stored_status(water):
    organisation, _user = water
    upsert(organisation, status=WorkStatus.UNDER_WAY)

    work, _ = upsert(organisation)

    assert work.status == WorkStatus.UNDER_WAY
    assert AuditEvent.objects.filter(verb="work.changed").count() == 0


def test_a_new_work_without_status_is_planned(water):
    work, _ = upsert(water[0])

    assert work.status == WorkStatus.PLANNED


def test_gcj02_coordinates_are_stored_in_wgs84_within_a_metre_of_prcoords_inverse(water):
    wgs_lon, wgs_lat = 114.2905, 30.5905
    gcj_lon, gcj_lat = from_wgs84(wgs_lon, wgs_lat, "gcj02")

    work, _ = upsert(
        water[0], geometry={"type": "Point", "coordinates": [gcj_lon, gcj_lat]}, crs="gcj02"
    )

    stored = work.geometry["coordinates"]
    inverse_lat, inverse_lon = prcoords.gcj_wgs_bored((gcj_lat, gcj_lon))
    assert distance_m(tuple(stored), (inverse_lon, inverse_lat)) < 1
    assert distance_m(tuple(stored), (wgs_lon, wgs_lat)) < 1
    assert distance_m((gcj_lon, gcj_lat), (wgs_lon, wgs_lat)) > 100  # the offset was real


def test_the_path_is_the_district_containing_the_geometry(water, city):
    jiangan, _ = upsert(water[0], external_id="A", geometry=line(IN_JIANGAN))
    wuchang, _ = upsert(water[0], external_id="B", geometry=line(IN_WUCHANG))

    assert jiangan.path == city.jiangan.path
    assert wuchang.path == city.wuchang.path


def test_a_work_outside_every_district_has_no_path(water):
    work, _ = upsert(water[0], geometry=line([[114.9, 31.2], [114.901, 31.2]]))

    assert work.path == ""


def test_without_geometry_the_path_is_the_compounds_district(water, city):
    code = city.wuchang_compound.code
    assign(water[0], city.wuchang_compound)

    work, _ = upsert(water[0], geometry=None, compounds=[code])

    assert work.path == city.wuchang.path
    assert list(work.compounds.values_list("code", flat=True)) == [code]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"ends_on": "2026-02-28"}, "ends_on"),
        ({"starts_on": "2026-13-01"}, "starts_on"),
        ({"kind": "sewage"}, "kind"),
        ({"kind": ""}, "kind"),
        ({"status": "paused"}, "status"),
        ({"name": ""}, "name"),
        ({"radius_m": -5}, "radius_m"),
        ({"crs": "epsg:3857"}, "crs"),
        ({"compounds": ["NO-SUCH-CODE"]}, "compounds"),
        ({"geometry": None}, "geometry"),
        ({"geometry": {"type": "GeometryCollection", "geometries": []}}, "geometry"),
        ({"geometry": {"type": "LineString", "coordinates": [[114.29, 30.59]]}}, "geometry"),
        ({"geometry": {"type": "Point", "coordinates": []}}, "geometry"),
        ({"geometry": {"type": "Point", "coordinates": [500, 30]}}, "geometry"),
        ({"geometry": {"type": "Point", "coordinates": [121.47, 31.23]}}, "geometry"),
        (
            {
                "geometry": {
                    "type": "Polygon",
                    "coordinates": [
                        [
                            [114.29, 30.59],
                            [114.30, 30.60],
                            [114.30, 30.59],
                            [114.29, 30.60],
                            [114.29, 30.59],
                        ]
                    ],
                }
            },
            "geometry",
        ),
    ],
)
def test_wrong_values_are_refused_naming_the_field_and_nothing_is_written(water, overrides, field):
    before = nothing_written()

    with pytest.raises(DomainError) as refused:
        upsert(water[0], **overrides)

    assert field in refused.value.fields, refused.value.fields
    assert nothing_written() == before


def test_swapped_longitude_and_latitude_are_named(water):
    with pytest.raises(DomainError) as refused:
        upsert(water[0], geometry={"type": "Point", "coordinates": [30.59, 114.29]})

    assert "填反" in refused.value.fields["geometry"][0]


def test_a_bad_external_id_is_refused(water):
    with pytest.raises(DomainError) as refused:
        upsert(water[0], external_id="a/b")

    assert "external_id" in refused.value.fields


def test_a_utility_cannot_write_another_utilitys_work(water, gas):
    water_org, _ = water
    gas_org, _ = gas
    upsert(gas_org)

    with pytest.raises(NotFound):
        upsert(gas_org, scope=utility_scope(water_org), ends_on="2026-12-31")
    with pytest.raises(NotFound):
        works.cancel_work(actor=None, scope=utility_scope(water_org), work=Work.objects.get())
    assert Work.objects.get().status == WorkStatus.PLANNED


def test_district_staff_cannot_write_works(water, city):
    with pytest.raises(PermissionDenied):
        upsert(water[0], scope=district_scope(city.jiangan))


def test_the_city_office_writes_for_any_utility_but_not_for_a_designer(water, city):
    work, created = upsert(water[0], scope=city_scope(city))
    designer = Organisation.objects.create(name="设计院", kind=Organisation.Kind.DESIGNER)

    assert created and work.organisation == water[0]
    with pytest.raises(DomainError) as refused:
        upsert(designer, scope=city_scope(city))
    assert "organisation" in refused.value.fields


def test_cancelling_marks_the_work_cancelled_once(water):
    work, _ = upsert(water[0])
    scope = utility_scope(water[0])

    works.cancel_work(actor=None, scope=scope, work=work)
    works.cancel_work(actor=None, scope=scope, work=work)

    work.refresh_from_db()
    assert work.status == WorkStatus.CANCELLED
    assert [e.verb for e in events_for(work)] == ["work.cancelled", "work.created"]


def test_who_sees_which_works(water, gas, city):
    upsert(water[0], external_id="A", geometry=line(IN_JIANGAN))
    upsert(gas[0], external_id="B", geometry=line(IN_WUCHANG))
    upsert(water[0], external_id="C", geometry=line([[114.9, 31.2], [114.9, 31.21]]))
    assign(gas[0], city.jiangan_compound)
    upsert(gas[0], external_id="D", geometry=None, compounds=[city.jiangan_compound.code])

    def seen(scope):
        return set(works.work_list(scope=scope).values_list("external_id", flat=True))

    community = district_scope(city.jiangan_community)
    assert seen(city_scope(city)) == {"A", "B", "C", "D"}
    assert seen(district_scope(city.jiangan)) == {"A", "D"}
    assert seen(district_scope(city.wuchang)) == {"B"}
    assert seen(community) == {"A", "D"}  # its district's works
    assert seen(utility_scope(water[0])) == {"A", "C"}
    assert seen(utility_scope(gas[0])) == {"B", "D"}


def test_finding_a_work_of_another_utility_is_not_found(water, gas):
    upsert(gas[0], external_id="SHARED")

    with pytest.raises(NotFound):
        works.find_work(utility_scope(water[0]), "SHARED")


def test_an_id_used_by_two_owners_must_be_told_apart(water, gas, city):
    upsert(water[0], external_id="SHARED")
    upsert(gas[0], external_id="SHARED")
    scope = city_scope(city)

    with pytest.raises(DomainError) as ambiguous:
        works.find_work(scope, "SHARED")

    assert ambiguous.value.code == "organisation_required"
    assert works.find_work(scope, "SHARED", gas[0]).organisation == gas[0]
