"""Workbench pages of the registry: a screen each, scope from `request.scope`."""

from django.core.paginator import Paginator
from django.shortcuts import render

from anju.core.audit import events_for
from anju.core.decorators import staff_required

from .. import selectors
from ..forms import AsOfForm, CompoundFilterForm
from ..models import Node


@staff_required
def compound_list(request):
    form = CompoundFilterForm(request.GET or None)
    compounds = selectors.compound_list(scope=request.scope, filters=form.to_filters())
    page = Paginator(compounds, 25).get_page(request.GET.get("page"))
    districts = selectors.node_list(scope=request.scope, kind=Node.Kind.DISTRICT)
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "districts": districts, "query": query.urlencode()}
    template = "territory/_compound_rows.html" if request.htmx else "territory/compound_list.html"
    return render(request, template, context)


HOUSEHOLD_PAGE_SIZE = 100


@staff_required
def compound_detail(request, code: str):
    """The compound's record; its households a page at a time (a compound of 571 households
    lists them all, over pages), with personal data masked by role (PIPL art. 28)."""
    scope = request.scope
    compound = selectors.get_compound(scope, code)
    page = Paginator(selectors.households_of(compound), HOUSEHOLD_PAGE_SIZE).get_page(
        request.GET.get("households_page")
    )
    context = {
        "compound": compound,
        "households": selectors.household_rows(scope, page.object_list),
        "household_page": page,
        "may_reveal": scope.may_see_personal_data,
    }
    if request.htmx and request.htmx.target == "household-rows":
        return render(request, "territory/_household_rows.html", context)
    context |= {
        "buildings": selectors.buildings_of(compound),
        "events": events_for(compound)[:50],
        "map_data": selectors.map_data_for(compound),
    }
    return render(request, "territory/compound_detail.html", context)


@staff_required
def compound_history(request, code: str):
    """The compound's registry record as it stood on a past date (django-simple-history)."""
    compound = selectors.get_compound(request.scope, code)
    form = AsOfForm(request.GET or None)
    as_of = form.cleaned_data["as_of"] if form.is_valid() else None
    context = {
        "compound": compound,
        "records": compound.history.all().select_related("history_user")[:100],
        "form": form,
        "as_of": as_of,
        "record_as_of": selectors.compound_as_of(compound, as_of) if as_of else None,
    }
    return render(request, "territory/compound_history.html", context)
