"""The catalogue in the workbench: every staff member reads it, the city office edits it."""

from django.shortcuts import get_object_or_404, redirect, render

from anju.core.decorators import staff_required
from anju.core.errors import PermissionDenied
from anju.core.forms import errors_on

from . import services
from .forms import CatalogueItemForm
from .models import CatalogueItem, Category


@staff_required
def item_list(request):
    items = CatalogueItem.objects.order_by("category", "position", "code")
    groups = [
        (label, [i for i in items if i.category == value]) for value, label in Category.choices
    ]
    return render(
        request,
        "catalogue/item_list.html",
        {
            "groups": groups,
            "may_edit": request.scope.has_role("city_office"),
        },
    )


@staff_required
def item_edit(request, pk=None):
    if not request.scope.has_role("city_office"):
        raise PermissionDenied()
    item = get_object_or_404(CatalogueItem, pk=pk) if pk else None
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
