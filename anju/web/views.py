from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from anju.design.selectors import projects as design
from anju.territory import selectors as territory

from .attention import attention_for


def home(request):
    """The public page: what anju is, and the way in for residents and staff."""
    return render(request, "web/home.html")


MY_PROJECTS_SHOWN = 20


@login_required
def workbench(request):
    """The home of every staff account: territorial staff see their territory's tree; company
    accounts (no territory) the compounds assigned to their organisation (issue 13 defect 12)."""
    scope = request.scope
    is_company = bool(scope.compound_ids) and not scope.node_paths and not scope.is_resident
    context = {
        "tree": territory.territory_tree(scope=scope),
        "totals": territory.registry_totals(scope=scope),
        "assigned": (territory.compound_list(scope=scope).order_by("name") if is_company else None),
        # Designers, planners and every company: their projects above their compounds (issue 9).
        "my_projects": design.project_list(scope)[:MY_PROJECTS_SHOWN] if is_company else None,
        "attention": attention_for(scope),
    }
    return render(request, "web/workbench.html", context)


class SignInView(LoginView):
    template_name = "web/sign_in.html"
    redirect_authenticated_user = True


@require_POST
def sign_out(request):
    logout(request)
    return redirect("web:home")


def healthz(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def _error(request, status: int, code: str, message: str):
    """The API's error body `{code, message, fields}` under /api/, the styled page elsewhere."""
    if request.path.startswith("/api/"):
        return JsonResponse({"code": code, "message": message, "fields": {}}, status=status)
    return render(request, "web/error.html", {"status": status, "message": message}, status=status)


def not_found(request, exception=None):
    return _error(request, 404, "not_found", _("找不到该页面或记录。"))


def forbidden(request, exception=None):
    return _error(request, 403, "permission_denied", _("您无权访问此页面。"))


def bad_request(request, exception=None):
    return _error(request, 400, "bad_request", _("请求有误。"))


def server_error(request):
    """No template: whatever broke may break the page too."""
    message = _("服务器出错了，我们已记录此问题。")
    if request.path.startswith("/api/"):
        body = {"code": "server_error", "message": message, "fields": {}}
        return JsonResponse(body, status=500)
    return HttpResponse(message, status=500)
