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
