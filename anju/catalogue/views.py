"""The catalogue in the workbench: every staff member reads it, the city office edits it."""

from django.shortcuts import redirect, render

from anju.core.decorators import staff_required
from anju.core.errors import PermissionDenied
from anju.core.forms import errors_on

from . import selectors, services
from .forms import CatalogueItemForm


@staff_required
def item_list(request):
    return render(
        request,
        "catalogue/item_list.html",
        {
            "groups": selectors.items_by_category(selectors.item_list()),
            "may_edit": services.may_edit_catalogue(request.scope),
        },
    )


@staff_required
def item_edit(request, pk=None):
    if not services.may_edit_catalogue(request.scope):
        raise PermissionDenied()
    item = selectors.get_item(pk) if pk else None
    form = CatalogueItemForm(request.POST or None, instance=item)
    if item is not None:
        form.fields["code"].disabled = True
    if request.method == "POST" and form.is_valid():
        values = dict(form.cleaned_data)
        with errors_on(form) as attempt:
            services.save_catalogue_item(
                actor=request.user, scope=request.scope, item=item, values=values
            )
        if attempt.succeeded:
            return redirect("catalogue:item-list")
    status = 400 if request.method == "POST" else 200
    return render(request, "catalogue/item_form.html", {"form": form, "item": item}, status=status)
