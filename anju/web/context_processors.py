def navigation(request):
    scope = getattr(request, "scope", None)
    return {"viewer_scope": scope}
