"""The workbench menu is declared once (anju/web/menu.py), a predicate per item."""

from anju.core.scope import Scope
from anju.web.menu import MENU, menu_for


def test_the_menu_is_declared_once_with_a_predicate_per_item():
    assert len({item.url_name for item in MENU}) == len(MENU)
    assert all(callable(item.may_use) for item in MENU)


def test_an_account_without_scope_is_offered_only_the_workbench_and_api():
    names = {item["name"] for item in menu_for(Scope.nothing())}
    assert names == {"web:workbench", "api-docs"}
