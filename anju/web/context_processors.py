from django.utils.functional import SimpleLazyObject

from .menu import menu_entries_for


def navigation(request):
    scope = getattr(request, "scope", None)
    menu = SimpleLazyObject(
        lambda: menu_entries_for(scope, request.path) if scope is not None else []
    )
    return {"viewer_scope": scope, "menu": menu}
