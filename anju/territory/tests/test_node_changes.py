"""Territory adjustments (区划调整) by the city office: add, rename, move and end nodes with
their dates, audited, with the subtree's paths rewritten in one transaction and the old
placement kept in the change log; bad moves are refused with a clear DomainError."""

import datetime as dt

import pytest

from anju.core.errors import DomainError, NotFound, PermissionDenied
from anju.core.models import AuditEvent
from anju.core.scope import Scope
from anju.territory import selectors
from anju.territory.models import Compound, Node, NodeChange
from anju.territory.services import add_node, end_node, move_node, rename_node
from anju.territory.signals import territory_moved

pytestmark = pytest.mark.django_db

CITY_OFFICE = Scope(roles=frozenset({"city_office"}), node_paths=("4201/",))
JIANGAN_OFFICER = Scope(roles=frozenset({"district_task_force"}), node_paths=("4201/420102/",))
DAY = dt.date(2025, 1, 1)


@pytest.fixture
def zone(city, city_officer):
    return add_node(
        actor=city_officer, scope=CITY_OFFICE, kind=Node.Kind.ZONE, code="420171",
        name="东湖新技术开发区", parent=city.city, valid_from=DAY,
    )  # fmt: skip


def move(city_officer, node, parent, **kwargs):
    return move_node(
        actor=city_officer, scope=CITY_OFFICE, node=node, new_parent=parent,
        effective_on=kwargs.pop("effective_on", DAY), **kwargs,
    )  # fmt: skip


def test_moving_a_street_to_a_zone_rewrites_the_paths_of_its_subtree_and_compounds(
    city, city_officer, zone
):
    move(city_officer, city.jiangan_street, zone, decision="武政〔2025〕1号")

    street = Node.objects.get(pk=city.jiangan_street.pk)
    assert street.parent == zone
    assert street.path == "4201/420171/420102001/"
    assert Node.objects.get(pk=city.jiangan_community.pk).path == (
        "4201/420171/420102001/420102001001/"
    )
    compound = Compound.objects.get(pk=city.jiangan_compound.pk)
    assert compound.path == "4201/420171/420102001/420102001001/420102001001001/"
    assert not Node.objects.filter(path__startswith="4201/420102/420102001/").exists()
    assert not Compound.objects.filter(path__startswith="4201/420102/").exists()


def test_a_moved_street_leaves_the_old_districts_scope_and_joins_the_zones(
    city, city_officer, zone
):
    move(city_officer, city.jiangan_street, zone)

    assert not selectors.compound_list(scope=JIANGAN_OFFICER).exists()
    zone_scope = Scope(roles=frozenset({"district_task_force"}), node_paths=(zone.path,))
    assert list(selectors.compound_list(scope=zone_scope)) == [city.jiangan_compound]


def test_the_old_placement_stays_visible_in_the_change_log_and_history(city, city_officer, zone):
    move(city_officer, city.jiangan_street, zone, decision="武政〔2025〕1号")

    change = selectors.node_changes(city.jiangan_street).get()
    assert change.kind == NodeChange.Kind.MOVED
    assert change.old_parent == city.jiangan
    assert change.new_parent == zone
    assert change.old_path == "4201/420102/420102001/"
    assert change.effective_on == DAY
    paths = list(city.jiangan_compound.history.values_list("path", flat=True))
    assert "4201/420102/420102001/420102001001/420102001001001/" in paths
    event = AuditEvent.objects.get(verb="node.moved")
    assert event.before["parent"] == "420102"
    assert event.after["parent"] == "420171"
    assert event.after["compounds"] == 1


def test_a_move_tells_higher_apps_the_old_and_new_prefix(city, city_officer, zone):
    heard = []

    def listener(sender, old_prefix, new_prefix, **kwargs):
        heard.append((old_prefix, new_prefix))

    territory_moved.connect(listener)
    try:
        move(city_officer, city.jiangan_street, zone)
    finally:
        territory_moved.disconnect(listener)
    assert heard == [("4201/420102/420102001/", "4201/420171/420102001/")]


def test_a_node_cannot_move_under_its_own_descendant(city, city_officer):
    with pytest.raises(DomainError) as refused:
        move(city_officer, city.jiangan, city.jiangan_street)
    assert refused.value.code == "move_under_itself"


def test_a_community_cannot_sit_directly_under_the_city(city, city_officer):
    with pytest.raises(DomainError) as refused:
        move(city_officer, city.jiangan_community, city.city)
    assert refused.value.code == "parent_kind_not_allowed"
    assert Node.objects.get(pk=city.jiangan_community.pk).parent == city.jiangan_street


def test_a_move_cannot_take_effect_in_the_future(city, city_officer, zone):
    with pytest.raises(DomainError) as refused:
        move(city_officer, city.jiangan_street, zone, effective_on=dt.date.today().replace(
            year=dt.date.today().year + 1))  # fmt: skip
    assert refused.value.code == "effective_in_future"


def test_a_refused_move_changes_nothing(city, city_officer):
    with pytest.raises(DomainError):
        move(city_officer, city.jiangan_street, city.jiangan_community)
    assert not NodeChange.objects.exists()
    assert Compound.objects.get(pk=city.jiangan_compound.pk).path.startswith("4201/420102/")


def test_district_officers_may_not_change_the_territory(city, jiangan_officer):
    with pytest.raises(PermissionDenied):
        rename_node(
            actor=jiangan_officer, scope=JIANGAN_OFFICER, node=city.jiangan_street,
            name="新大智街道", effective_on=DAY,
        )  # fmt: skip


def test_a_node_outside_the_scope_is_not_found(city, city_officer):
    narrow = Scope(roles=frozenset({"city_office"}), node_paths=("4201/420102/",))
    with pytest.raises(NotFound):
        move_node(actor=city_officer, scope=narrow, node=city.wuchang_street,
                  new_parent=city.jiangan, effective_on=DAY)  # fmt: skip


def test_renaming_keeps_the_old_name(city, city_officer):
    rename_node(actor=city_officer, scope=CITY_OFFICE, node=city.jiangan_street,
                name="大智路街道", effective_on=DAY)  # fmt: skip

    assert Node.objects.get(pk=city.jiangan_street.pk).name == "大智路街道"
    change = selectors.node_changes(city.jiangan_street).get()
    assert (change.old_name, change.new_name) == ("大智街道", "大智路街道")
    assert AuditEvent.objects.filter(verb="node.renamed").count() == 1


def test_adding_a_node_checks_the_parent_kind_and_the_code(city, city_officer):
    with pytest.raises(DomainError) as refused:
        add_node(actor=city_officer, scope=CITY_OFFICE, kind=Node.Kind.COMMUNITY, code="42019",
                 name="某社区", parent=city.city, valid_from=DAY)  # fmt: skip
    assert refused.value.code == "parent_kind_not_allowed"
    with pytest.raises(DomainError) as refused:
        add_node(actor=city_officer, scope=CITY_OFFICE, kind=Node.Kind.STREET,
                 code=city.jiangan_street.code, name="重复", parent=city.jiangan,
                 valid_from=DAY)  # fmt: skip
    assert "code" in refused.value.fields
    with pytest.raises(DomainError):
        add_node(actor=city_officer, scope=CITY_OFFICE, kind=Node.Kind.STREET, code="a/b",
                 name="斜杠", parent=city.jiangan, valid_from=DAY)  # fmt: skip


def test_a_node_added_from_a_future_day_is_not_listed_today(city, city_officer):
    later = dt.date.today() + dt.timedelta(days=30)
    add_node(actor=city_officer, scope=CITY_OFFICE, kind=Node.Kind.STREET, code="420102099",
             name="新设街道", parent=city.jiangan, valid_from=later)  # fmt: skip

    assert not selectors.node_list(scope=CITY_OFFICE).filter(code="420102099").exists()
    assert selectors.node_list(scope=CITY_OFFICE, on=later).filter(code="420102099").exists()


def test_ending_a_node_with_live_children_is_refused(city, city_officer):
    with pytest.raises(DomainError) as refused:
        end_node(actor=city_officer, scope=CITY_OFFICE, node=city.jiangan, valid_to=DAY)
    assert refused.value.code == "has_live_children"


def test_ending_a_community_with_compounds_is_refused(city, city_officer):
    with pytest.raises(DomainError) as refused:
        end_node(actor=city_officer, scope=CITY_OFFICE, node=city.jiangan_community,
                 valid_to=DAY)  # fmt: skip
    assert refused.value.code == "has_compounds"


def test_an_end_date_before_the_start_is_refused(city, city_officer):
    node = add_node(actor=city_officer, scope=CITY_OFFICE, kind=Node.Kind.STREET,
                    code="420102098", name="短命街道", parent=city.jiangan,
                    valid_from=DAY)  # fmt: skip
    with pytest.raises(DomainError) as refused:
        end_node(actor=city_officer, scope=CITY_OFFICE, node=node,
                 valid_to=DAY - dt.timedelta(days=1))  # fmt: skip
    assert refused.value.code == "ends_before_start"


def test_an_ended_node_drops_out_of_todays_lookups_but_keeps_its_history(city, city_officer):
    node = add_node(actor=city_officer, scope=CITY_OFFICE, kind=Node.Kind.STREET,
                    code="420102097", name="撤并街道", parent=city.jiangan,
                    valid_from=DAY)  # fmt: skip
    end_node(actor=city_officer, scope=CITY_OFFICE, node=node, valid_to=dt.date(2025, 6, 30))

    assert not selectors.node_list(scope=CITY_OFFICE).filter(code="420102097").exists()
    assert selectors.node_list(scope=CITY_OFFICE, on=dt.date(2025, 3, 1)).filter(
        code="420102097").exists()  # fmt: skip
    kinds = list(selectors.node_changes(node).values_list("kind", flat=True))
    assert kinds == [NodeChange.Kind.ENDED, NodeChange.Kind.ADDED]
    with pytest.raises(DomainError):
        move(city_officer, node, city.wuchang, effective_on=dt.date(2025, 7, 1))
