"""The problem-report categories page (/workbench/stewardship/reports/categories/): the city
office sees every category with its deadline, changes one in its row (names, deadline,
switched on or off) and adds one. Anyone else gets 403; the services decide, and a refusal
comes back in the row (or the add form) with 400.
"""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from anju.core.decorators import staff_required
from anju.core.errors import PermissionDenied
from anju.core.forms import errors_on

from .. import rules
from ..forms import ReportCategoryAddForm, ReportCategoryForm
from ..selectors import reports as selectors
from ..services import categories as services


def _check_may_manage(request) -> None:
    if not rules.may_manage_report_categories(request.scope):
        raise PermissionDenied(_("问题类别和办理时限由市改造办维护。"))


def _row_form(category, data=None) -> ReportCategoryForm:
    initial = {
        "name": category.name,
        "name_en": category.name_en,
        "deadline_days": category.deadline_days,
        "is_active": category.is_active,
    }
    form = ReportCategoryForm(data, initial=initial, auto_id=f"id_{category.code}_%s")
    for field in form.fields.values():  # the row's inputs sit in table cells, outside its <form>
        field.widget.attrs["form"] = f"category-{category.code}"
    return form


def render_categories(request, *, failed=None, failed_form=None, add_form=None, status=200):
    rows = [
        (category, failed_form if category == failed else _row_form(category))
        for category in selectors.all_categories()
    ]
    context = {"rows": rows, "add_form": add_form or ReportCategoryAddForm()}
    return render(request, "stewardship/report_categories.html", context, status=status)


@staff_required
@require_http_methods(["GET", "POST"])
def category_list(request):
    """Every category with its deadline; POST adds one."""
    _check_may_manage(request)
    if request.method == "GET":
        return render_categories(request)
    form = ReportCategoryAddForm(request.POST)
    if form.is_valid():
        with errors_on(form) as attempt:
            category = services.add_report_category(
                actor=request.user, scope=request.scope, **form.cleaned_data
            )
        if attempt.succeeded:
            messages.success(request, _("已添加问题类别“%(name)s”。") % {"name": category.name})
            return redirect("stewardship:category-list")
    return render_categories(request, add_form=form, status=400)


@staff_required
@require_POST
def category_edit(request, code: str):
    """One row's change: names, deadline (for reports filed afterwards), on or off."""
    _check_may_manage(request)
    category = selectors.get_category(code)
    form = _row_form(category, request.POST)
    if form.is_valid():
        with errors_on(form) as attempt:
            services.change_report_category(
                actor=request.user, scope=request.scope, category=category, **form.cleaned_data
            )
        if attempt.succeeded:
            messages.success(request, _("已保存问题类别“%(code)s”。") % {"code": category.code})
            return redirect("stewardship:category-list")
    return render_categories(request, failed=category, failed_form=form, status=400)
