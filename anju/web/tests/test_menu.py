"""The workbench menu is declared once (anju/web/menu.py), a predicate per item."""

from anju.core.scope import Scope
from anju.web.menu import MENU, menu_entries_for, menu_for


def test_the_menu_is_declared_once_with_a_predicate_per_item():
    assert len({item.url_name for item in MENU}) == len(MENU)
    assert all(callable(item.may_use) for item in MENU)


def test_an_account_without_scope_is_offered_only_the_workbench_and_api():
    names = {item["name"] for item in menu_for(Scope.nothing())}
    assert names == {"web:workbench", "api-docs"}


def test_a_department_reviewer_is_offered_the_pending_reviews():
    """A reviewer's decisions were reachable only from each project's page."""
    reviewer = Scope(roles=frozenset({"department_reviewer"}), node_paths=("4201/420102/",))
    officer = Scope(roles=frozenset({"district_task_force"}), node_paths=("4201/420102/",))
    assert "design:review-mine" in {item["name"] for item in menu_for(reviewer)}
    assert "design:review-mine" not in {item["name"] for item in menu_for(officer)}


def test_an_official_gets_the_movements_as_groups_and_the_current_page_marked():
    officer = Scope(roles=frozenset({"district_task_force"}), node_paths=("4201/420102/",))
    entries = menu_entries_for(officer, "/workbench/stewardship/reports/7/")
    labels = [str(entry["label"]) for entry in entries]
    assert labels == ["工作台", "统筹", "问需", "施工", "资金", "长效", "系统"]
    keep = entries[labels.index("长效")]
    assert [str(item["label"]) for item in keep["children"]] == ["长效管理", "问题报告"]
    assert keep["current"] and [item["current"] for item in keep["children"]] == [False, True]
    assert not any(entry["current"] for entry in entries if entry is not keep)


def test_a_group_with_one_usable_page_is_that_page():
    nobody = menu_entries_for(Scope.nothing())
    assert [entry["name"] for entry in nobody] == ["web:workbench", "api-docs"]
