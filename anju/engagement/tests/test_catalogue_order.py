"""Wherever staff or residents pick catalogue items, the categories come in the published order
(基础类 → 完善类 → 提升类, 国办发〔2020〕23号), then in the catalogue's own order."""

import pytest

from anju.catalogue.models import CatalogueItem, Category
from anju.engagement.forms import AnswerForm, active_items
from anju.engagement.portal_forms import NeedsForm

pytestmark = pytest.mark.django_db

PUBLISHED_ORDER = list(Category.values)


def category_sequence(codes):
    categories = dict(CatalogueItem.objects.values_list("code", "category"))
    sequence = []
    for code in codes:
        if not sequence or sequence[-1] != categories[code]:
            sequence.append(categories[code])
    return sequence


def test_staff_answer_form_lists_basic_then_improvement_then_enhancement():
    form = AnswerForm(compounds=[], items=active_items())
    codes = [code for code, _label in form.fields["needs"].choices]

    assert category_sequence(codes) == PUBLISHED_ORDER


def test_residents_needs_form_uses_the_same_order():
    class Campaign:
        asks_contribution = False

    form = NeedsForm(campaign=Campaign())
    codes = [code for code, _label in form.fields["items"].choices]

    assert category_sequence(codes) == PUBLISHED_ORDER


def test_within_a_category_the_catalogue_position_decides():
    CatalogueItem.objects.filter(code="I13").update(position=0)
    CatalogueItem.objects.filter(code="I01").update(position=99)

    codes = [item.code for item in active_items()]
    improvement = [code for code in codes if code.startswith("I")]

    assert improvement[0] == "I13"
    assert improvement[-1] == "I01"
    assert codes.index("B16") < codes.index("I13") < codes.index("I01") < codes.index("E01")
