"""The catalogue in the workbench: every staff member reads it, the city office edits it."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from anju.core.calendar import today
from anju.core.decorators import staff_required
from anju.core.errors import PermissionDenied
from anju.core.forms import errors_on
from anju.core.importing import ImportRejected

from . import importers, selectors, services
from .forms import CatalogueItemForm, PriceEntryForm, PriceListForm, PriceListImportForm


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


# --- price lists (价格清单): every staff member reads them, the city office keeps them -------


@staff_required
def price_list_list(request, *, form=None, status=200):
    return render(
        request,
        "catalogue/price_list_list.html",
        {
            "price_lists": selectors.price_list_list(),
            "may_edit": services.may_keep_price_lists(request.scope),
            "form": form or PriceListForm(initial={"year": today().year + 1}),
        },
        status=status,
    )


@require_POST
@staff_required
def price_list_create(request):
    if not services.may_keep_price_lists(request.scope):
        raise PermissionDenied()
    form = PriceListForm(request.POST)
    if form.is_valid():
        with errors_on(form) as attempt:
            price_list = services.create_price_list(
                actor=request.user, scope=request.scope, **form.cleaned_data
            )
        if attempt.succeeded:
            return redirect("catalogue:price-list-detail", pk=price_list.pk)
    return price_list_list(request, form=form, status=400)


@staff_required
def price_list_detail(request, pk, *, entry_form=None, import_form=None, problems=(), status=200):
    price_list = selectors.get_price_list(pk)
    return render(
        request,
        "catalogue/price_list_detail.html",
        {
            "price_list": price_list,
            "entries": selectors.price_entries(price_list),
            "may_edit": services.may_keep_price_lists(request.scope)
            and not price_list.is_published,
            "entry_form": entry_form or PriceEntryForm(),
            "import_form": import_form or PriceListImportForm(),
            "problems": problems,
        },
        status=status,
    )


@require_POST
@staff_required
def price_entry_save(request, pk):
    price_list = selectors.get_price_list(pk)
    if not services.may_keep_price_lists(request.scope):
        raise PermissionDenied()
    form = PriceEntryForm(request.POST)
    if form.is_valid():
        with errors_on(form) as attempt:
            services.save_price_entry(
                actor=request.user, scope=request.scope, price_list=price_list, **form.cleaned_data
            )
        if attempt.succeeded:
            return redirect("catalogue:price-list-detail", pk=price_list.pk)
    return price_list_detail(request, pk, entry_form=form, status=400)


@require_POST
@staff_required
def price_list_publish(request, pk):
    price_list = selectors.get_price_list(pk)
    services.publish_price_list(actor=request.user, scope=request.scope, price_list=price_list)
    messages.success(request, _("价格清单已发布。"))
    return redirect("catalogue:price-list-detail", pk=price_list.pk)


@require_POST
@staff_required
def price_list_import(request, pk):
    price_list = selectors.get_price_list(pk)
    if not services.may_keep_price_lists(request.scope):
        raise PermissionDenied()
    form = PriceListImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return price_list_detail(request, pk, import_form=form, status=400)
    upload = form.cleaned_data["file"]
    try:
        report = importers.import_price_list(
            actor=request.user,
            scope=request.scope,
            price_list=price_list,
            source=upload,
            filename=upload.name,
        )
    except ImportRejected as rejected:
        form.add_error(None, rejected.message)
        problems = [str(problem) for problem in rejected.problems]
        return price_list_detail(request, pk, import_form=form, problems=problems, status=400)
    messages.success(
        request, _("已导入价格 %(count)d 条。") % {"count": report.counts["entries_written"]}
    )
    return redirect("catalogue:price-list-detail", pk=price_list.pk)


@staff_required
def price_list_template(request, pk):
    price_list = selectors.get_price_list(pk)
    response = HttpResponse(
        importers.price_list_template(price_list),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    name = f"price-list-{price_list.year}-v{price_list.version}.xlsx"
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response
