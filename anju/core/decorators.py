from functools import wraps

from django.contrib.auth.decorators import login_required

from .errors import NotFound


def staff_required(view):
    """Signed-in staff with a scope; scopeless accounts get 404, anonymous the sign-in page."""

    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.scope.is_empty:
            raise NotFound()
        return view(request, *args, **kwargs)

    return wrapped


def staff_or_organisation_required(view):
    """Like `staff_required`, but also admits an organisation's staff without a territory
    (`Scope.acts_for_organisation_only`), for pages of the organisation's own records."""

    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        scope = request.scope
        if scope.is_resident or (scope.is_empty and not scope.acts_for_organisation_only):
            raise NotFound()
        return view(request, *args, **kwargs)

    return wrapped
