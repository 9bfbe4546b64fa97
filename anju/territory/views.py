"""Workbench pages of the registry: a screen each, scope from `request.scope`."""

from django.core.paginator import Paginator
from django.shortcuts import render

from anju.core.audit import events_for
from anju.core.decorators import staff_required

from . import selectors
from .forms import AsOfForm, CompoundFilterForm
from .models import Node
from .services import mask_phone


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


@staff_required
def compound_detail(request, code: str):
    scope = request.scope
    compound = selectors.get_compound(scope, code)
    households = [
        {"household": h, "phone": mask_phone(h.phone)}
        for h in selectors.households_of(compound)[:500]
    ]
    context = {
        "compound": compound,
        "buildings": selectors.buildings_of(compound),
        "households": households,
        "household_total": compound.households.count(),
        "events": events_for(compound)[:50],
        "may_reveal": scope.may_see_personal_data,
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
