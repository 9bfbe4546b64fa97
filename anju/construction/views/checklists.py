"""The checklists workbench (检查表维护): every work type with its items in order, switched-off
ones too, and the forms to add a work type, add an item at the end of a checklist, reword an
item or switch it off. The city office only (`rules.may_edit_checklists`); others 403. A
refusal comes back on the page with 400 and the failed form's messages."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from anju.core.decorators import staff_required
from anju.core.errors import PermissionDenied
from anju.core.forms import errors_on

from .. import rules
from ..forms import InspectionItemAddForm, InspectionItemChangeForm, WorkTypeForm
from ..selectors import inspections as selectors
from ..services import checklists as services


def _require_editor(request) -> None:
    if not rules.may_edit_checklists(request.scope):
        raise PermissionDenied(_("只有市改造办可以修改检查表。"))


def _page(request, *, work_type_form=None, failed_form=None, status=200):
    context = {
        "work_types": selectors.checklists(),
        "work_type_form": work_type_form or WorkTypeForm(),
        "failed_form": failed_form,
    }
    return render(request, "construction/work_types.html", context, status=status)


def _back_to(code: str):
    return redirect(reverse("construction:work-types") + f"#work-type-{code}")


@staff_required
@require_http_methods(["GET", "POST"])
def work_types(request):
    """The checklists; POST adds a work type."""
    _require_editor(request)
    if request.method != "POST":
        return _page(request)
    form = WorkTypeForm(request.POST)
    if form.is_valid():
        with errors_on(form) as attempt:
            work_type = services.add_work_type(
                actor=request.user, scope=request.scope, **form.cleaned_data
            )
        if attempt.succeeded:
            messages.success(request, _("已新增作业类型“%(name)s”。") % {"name": work_type.name})
            return _back_to(work_type.code)
    return _page(request, work_type_form=form, status=400)


@staff_required
@require_POST
def work_type_item_add(request, code):
    _require_editor(request)
    work_type = selectors.get_work_type(code)
    form = InspectionItemAddForm(request.POST)
    if form.is_valid():
        with errors_on(form) as attempt:
            services.add_inspection_item(
                actor=request.user, scope=request.scope, work_type=work_type, **form.cleaned_data
            )
        if attempt.succeeded:
            messages.success(
                request, _("已在“%(name)s”检查表末尾新增检查项。") % {"name": work_type.name}
            )
            return _back_to(work_type.code)
    return _page(request, failed_form=form, status=400)


@staff_required
@require_POST
def inspection_item_change(request, pk):
    _require_editor(request)
    item = selectors.get_inspection_item(pk)
    form = InspectionItemChangeForm(request.POST)
    if form.is_valid():
        with errors_on(form) as attempt:
            services.change_inspection_item(
                actor=request.user, scope=request.scope, item=item, **form.cleaned_data
            )
        if attempt.succeeded:
            messages.success(request, _("已保存检查项 %(code)s。") % {"code": item.code})
            return _back_to(item.work_type.code)
    return _page(request, failed_form=form, status=400)
