from django.utils.functional import SimpleLazyObject

from .menu import menu_for


def navigation(request):
    scope = getattr(request, "scope", None)
    menu = SimpleLazyObject(lambda: menu_for(scope) if scope is not None else [])
    return {"viewer_scope": scope, "menu": menu}
