from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import render

from . import audit, selectors
from .decorators import staff_required


@staff_required
def audit_list(request):
    params = request.GET
    try:
        filters = selectors.EventFilters(
            verb=params.get("verb", "")[:60],
            territory=params.get("territory", "")[:20],
            actor=params.get("actor", "")[:60],
            since=_date(params.get("since")),
            until=_date(params.get("until")),
            object_type=params.get("object_type", "")[:120],
        )
    except ValidationError:
        filters = selectors.EventFilters()
    events = selectors.event_list(scope=request.scope, filters=filters)
    page = Paginator(events, 50).get_page(params.get("page"))
    query = params.copy()
    query.pop("page", None)
    return render(
        request,
        "core/audit_list.html",
        {
            "page": page,
            "filters": filters,
            "query": query.urlencode(),
            "verb_choices": audit.verb_choices(),
            "object_type_choices": audit.object_type_choices(
                selectors.visible_events(scope=request.scope)
            ),
        },
    )


def _date(text):
    from django.forms import DateField

    return DateField(required=False).clean(text) if text else None


@staff_required
def task_detail(request, pk):
    progress = selectors.get_task_progress(request.scope, request.user, pk)
    template = "core/_task_progress.html" if request.htmx else "core/task_detail.html"
    return render(request, template, {"task": progress})
