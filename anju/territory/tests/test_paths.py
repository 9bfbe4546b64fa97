"""Territory owns path shape: the district of a path, its ancestors, its parent and what it
becomes when its node moves, for the city, a district's compound and a functional zone's
street alike."""

import pytest

from anju.territory import paths
from anju.territory.models import Compound, Node

CITY = "4201/"
JIANGAN = "4201/420102/"
JIANGAN_STREET = "4201/420102/420102001/"
JIANGAN_COMPOUND = "4201/420102/420102001/420102001001/420102001001001/"
ZONE = "4201/420171/"  # 东湖新技术开发区: no GB/T 2260 code of its own rank, a district's place
ZONE_STREET = "4201/420171/420111002/"  # a 洪山区 street the zone administers


def test_the_district_of_a_compound_is_the_level_below_the_city():
    assert paths.district_path(JIANGAN_COMPOUND) == JIANGAN
    assert paths.district_code(JIANGAN_COMPOUND) == "420102"


def test_a_functional_zone_stands_where_a_district_stands_for_its_streets():
    assert paths.district_path(ZONE_STREET) == ZONE
    assert paths.district_code(ZONE_STREET) == "420171"


def test_a_district_is_its_own_district():
    assert paths.district_path(JIANGAN) == JIANGAN


def test_the_city_and_the_empty_path_lie_in_no_district():
    assert paths.district_path(CITY) == ""
    assert paths.district_code(CITY) == ""
    assert paths.district_path("") == ""


def test_ancestors_run_from_the_city_down_to_the_node_itself():
    assert paths.ancestor_paths(ZONE_STREET) == [CITY, ZONE, ZONE_STREET]
    assert paths.ancestor_paths(CITY) == [CITY]
    assert paths.ancestor_paths("") == []


def test_the_parent_of_a_street_is_its_district_and_the_city_has_none():
    assert paths.parent_path(ZONE_STREET) == ZONE
    assert paths.parent_path(JIANGAN) == CITY
    assert paths.parent_path(CITY) == ""


def test_code_depth_and_child_agree_with_the_node_tree():
    assert paths.code_of(ZONE_STREET) == "420111002"
    assert paths.code_of("") == ""
    assert [paths.depth(p) for p in (CITY, ZONE, ZONE_STREET, JIANGAN_COMPOUND)] == [0, 1, 2, 4]
    assert paths.child_path(ZONE, "420111002") == ZONE_STREET
    assert paths.child_path("", "4201") == CITY


def test_the_common_path_is_the_deepest_node_holding_them_all():
    assert paths.common_path([JIANGAN_COMPOUND, JIANGAN_STREET]) == JIANGAN_STREET
    assert paths.common_path([JIANGAN_STREET, ZONE_STREET]) == CITY
    assert paths.common_path([ZONE_STREET]) == ZONE_STREET
    assert paths.common_path([]) == ""
    assert paths.common_path(["4201/", "4202/"]) == ""


def test_a_street_moved_into_a_zone_takes_its_subtree_along():
    old, new = "4201/420111/420111002/", ZONE_STREET
    assert paths.moved_path(old + "420111002001/", old, new) == ZONE_STREET + "420111002001/"
    assert paths.moved_path(old, old, new) == new


def test_a_path_outside_the_moved_node_is_refused():
    with pytest.raises(ValueError):
        paths.moved_path(JIANGAN_STREET, "4201/420111/", ZONE)


@pytest.mark.django_db
def test_rewriting_a_prefix_in_sql_moves_only_the_rows_under_it(city):
    rewritten = paths.rewrite_path_prefix(Compound.objects.all(), "path", JIANGAN, ZONE)

    assert rewritten == 1
    city.jiangan_compound.refresh_from_db()
    city.wuchang_compound.refresh_from_db()
    assert city.jiangan_compound.path == paths.moved_path(JIANGAN_COMPOUND, JIANGAN, ZONE)
    assert city.wuchang_compound.path == "4201/420106/420106001/420106001001/420106001001001/"


@pytest.mark.django_db
def test_the_sql_rewrite_agrees_with_the_string_rewrite_for_every_node(city):
    before = dict(Node.objects.values_list("pk", "path"))
    old, new = JIANGAN_STREET, "4201/420106/420102001/"

    paths.rewrite_path_prefix(Node.objects.all(), "path", old, new)

    after = dict(Node.objects.values_list("pk", "path"))
    for pk, path in before.items():
        expected = paths.moved_path(path, old, new) if path.startswith(old) else path
        assert after[pk] == expected
