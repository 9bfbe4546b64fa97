"""Workbench pages for territory adjustments (区划调整), for the city office only: the tree of
districts, zones and streets, and one page per node with its change log and the forms to add
a child, rename, move or end it. Other staff get 403; nodes outside the scope 404."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from anju.core.calendar import today
from anju.core.decorators import staff_required
from anju.core.errors import PermissionDenied
from anju.core.forms import errors_on

from .. import selectors, services
from ..forms import NodeAddForm, NodeEndForm, NodeMoveForm, NodeRenameForm
from ..models import Node

ACTIONS = {"add": NodeAddForm, "rename": NodeRenameForm, "move": NodeMoveForm, "end": NodeEndForm}


def require_territory_editor(request) -> None:
    if not services.may_change_territory(request.scope):
        raise PermissionDenied(_("只有市改造办可以调整区划。"))


@staff_required
@require_GET
def territory_tree(request):
    require_territory_editor(request)
    nodes = selectors.node_list(scope=request.scope, include_ended=True).filter(depth__lte=2)
    return render(request, "territory/territory_tree.html", {"nodes": nodes})


def build_forms(node: Node, scope, action: str | None, data):
    forms = {
        name: cls(data if name == action else None, prefix=name) for name, cls in ACTIONS.items()
    }
    child_kinds = [k for k, parents in services.ALLOWED_PARENTS.items() if node.kind in parents]
    forms["add"].fields["kind"].choices = [(k, Node.Kind(k).label) for k in child_kinds]
    parents = (
        selectors.node_list(scope=scope)
        .filter(kind__in=services.ALLOWED_PARENTS.get(node.kind, ()))
        .exclude(pk=node.parent_id)
        .exclude(path__startswith=node.path)
    )
    forms["move"].fields["parent"].choices = [(p.code, f"{p.name}（{p.code}）") for p in parents]
    return forms


def apply(action: str, *, request, node: Node, data: dict):
    common = {"actor": request.user, "scope": request.scope}
    if action == "add":
        return services.add_node(parent=node, **common, **data)
    if action == "rename":
        return services.rename_node(node=node, **common, **data)
    if action == "move":
        parent = selectors.get_node(request.scope, data.pop("parent"))
        return services.move_node(node=node, new_parent=parent, **common, **data)
    return services.end_node(node=node, **common, **data)


@staff_required
@require_http_methods(["GET", "POST"])
def node_detail(request, code: str):
    require_territory_editor(request)
    node = selectors.get_node(request.scope, code, include_ended=True)
    action = request.POST.get("action") if request.method == "POST" else None
    if action is not None and action not in ACTIONS:
        action = None
    forms = build_forms(node, request.scope, action, request.POST)
    if action and forms[action].is_valid():
        with errors_on(forms[action]) as attempt:
            changed = apply(
                action, request=request, node=node, data=dict(forms[action].cleaned_data)
            )
        if attempt.succeeded:
            messages.success(request, _("区划调整已保存。"))
            target = changed.code if action == "add" else node.code
            return redirect("territory:node-detail", code=target)
    context = {
        "node": node,
        "children": selectors.node_list(scope=request.scope, include_ended=True).filter(
            parent=node
        ),
        "changes": selectors.node_changes(node)[:100],
        "forms": forms,
        "is_live": services.is_live_on(node, today()),
    }
    return render(request, "territory/node_detail.html", context, status=400 if action else 200)
