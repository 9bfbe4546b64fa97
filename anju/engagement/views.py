"""Workbench pages of engagement: needs campaigns (问需于民) and owners' consent votes (业主表决).

A screen each: parse, one accessor (`selectors.get_campaign` / `get_vote`, which answer 404 for
another district's records exactly as for missing ones), one service or selector, render.
Writes that the services do not restrict by role themselves (answers recorded on a household's
behalf, paper ballots, tallies) are refused here to anyone but city, district, street and
community staff (`services.require_organiser`), within their territory.

Paper survey sheets are imported in the background (`importers.start_needs_import`), like the
registry: the upload returns at once to the job's progress page, which lists every problem
and links the annotated copy on rejection.
"""

from __future__ import annotations

import hashlib
from datetime import timedelta
from fractions import Fraction
from pathlib import Path

from django.contrib import messages
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.crypto import salted_hmac
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from anju.core.calendar import WorkingCalendar, today
from anju.core.decorators import staff_required
from anju.core.errors import Conflict, NotFound, PermissionDenied
from anju.core.excel import CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE
from anju.core.forms import errors_on
from anju.core.selectors import get_task_progress
from anju.engine import consent
from anju.territory import selectors as territory
from anju.territory.models import Node

from . import selectors, services
from .exports import campaign_compounds, campaign_figures, campaign_summary_xlsx, percent
from .forms import (
    AnswerForm,
    BallotForm,
    CampaignForm,
    ForumForm,
    NeedsUploadForm,
    VoteForm,
    active_items,
)
from .importers import (
    IMPORT_JOB,
    find_household,
    label_key,
    labelled_counts,
    needs_template,
    start_needs_import,
)
from .models import Campaign, Channel, Choice, Vote

PAGE_SIZE = 25
BALLOT_ROWS = 1000
COMPOUND_CHOICES_LIMIT = 2000
PSEUDONYM_LENGTH = 12
PSEUDONYM_SALT = "anju.engagement.published-vote-inputs"


def require_organiser_role(scope) -> None:
    if not scope.has_role(*services.ORGANISERS):
        raise PermissionDenied(_("只有市、区、街道和社区工作人员可以组织征询和表决。"))


def attachment(data: bytes, filename: str, content_type: str) -> HttpResponse:
    return HttpResponse(
        data,
        content_type=content_type,
        headers={"Content-Disposition": content_disposition_header(True, filename)},
    )


def window_working_days(starts_on, ends_on) -> int | None:
    """Working days of a window, both ends included (Asia/Shanghai holiday table)."""
    if not starts_on or not ends_on or ends_on < starts_on:
        return None
    calendar = WorkingCalendar.from_database()
    return calendar.working_days_between(starts_on - timedelta(days=1), ends_on)


def campaign_status(campaign: Campaign, day) -> str:
    if day < campaign.starts_on:
        return "upcoming"
    return "open" if campaign.is_open_on(day) else "closed"


# --- campaigns -------------------------------------------------------------------------------


@staff_required
@require_GET
def campaign_list(request):
    """The campaigns of the viewer's territory, newest first, with their compound count."""
    campaigns = selectors.with_compound_totals(selectors.campaign_list(scope=request.scope))
    page = Paginator(campaigns, PAGE_SIZE).get_page(request.GET.get("page"))
    day = today()
    rows = [{"campaign": c, "status": campaign_status(c, day)} for c in page]
    context = {
        "page": page,
        "rows": rows,
        "may_organise": request.scope.has_role(*services.ORGANISERS),
    }
    return render(request, "engagement/campaign_list.html", context)


def organiser_nodes(scope) -> list[Node]:
    """Nodes a campaign may be opened for: those the viewer's territory covers."""
    return [n for n in territory.node_list(scope=scope) if scope.covers_path(n.path)]


@staff_required
@require_http_methods(["GET", "POST"])
def campaign_create(request):
    """Open a campaign: a node of the viewer's territory, compounds under it, a window.

    Changing the node or the dates re-renders the compound list and the window's working
    days (htmx GET with the form's values)."""
    scope = request.scope
    require_organiser_role(scope)
    nodes = organiser_nodes(scope)
    source = request.POST if request.method == "POST" else request.GET
    by_code = {n.code: n for n in nodes}
    node = by_code.get(source.get("node")) or (nodes[0] if nodes else None)
    compounds = (
        list(
            territory.compound_list(scope=scope).filter(path__startswith=node.path)[
                :COMPOUND_CHOICES_LIMIT
            ]
        )
        if node
        else []
    )
    if request.method == "POST":
        form = CampaignForm(request.POST, nodes=nodes, compounds=compounds)
        if form.is_valid():
            data = form.cleaned_data
            chosen = data["compound_objects"]
            if data["all_compounds"]:  # beyond the first COMPOUND_CHOICES_LIMIT shown
                chosen = list(
                    territory.compound_list(scope=scope).filter(
                        path__startswith=data["node_object"].path
                    )
                )
            with errors_on(form) as attempt:
                campaign = services.open_campaign(
                    actor=request.user,
                    scope=scope,
                    node=data["node_object"],
                    title=data["title"],
                    compounds=chosen,
                    starts_on=data["starts_on"],
                    ends_on=data["ends_on"],
                    asks_contribution=data["asks_contribution"],
                    introduction=data["introduction"],
                )
            if attempt.succeeded:
                messages.success(request, _("已发起需求征集。"))
                return redirect("engagement:campaign-detail", pk=campaign.pk)
    else:
        initial = {
            "node": node.code if node else "",
            "starts_on": source.get("starts_on") or today(),
            "ends_on": source.get("ends_on") or today() + timedelta(days=14),
            "asks_contribution": True,
            "title": source.get("title", ""),
        }
        form = CampaignForm(initial=initial, nodes=nodes, compounds=compounds)
    dates = CampaignForm(source, nodes=nodes, compounds=compounds) if source else form
    context = {
        "form": form,
        "working_days": window_working_days(*_dates_of(dates)),
        "compound_count": len(compounds),
    }
    if request.htmx and request.method == "GET":
        return render(request, "engagement/_campaign_compounds.html", context)
    return render(request, "engagement/campaign_form.html", context)


def _dates_of(form) -> tuple:
    if not form.is_bound:
        return form.initial.get("starts_on"), form.initial.get("ends_on")
    values = []
    for name in ("starts_on", "ends_on"):
        try:
            values.append(form.fields[name].clean(form.data.get(name)))
        except Exception:  # an unfinished date while typing
            values.append(None)
    return tuple(values)


def response_map_data(figures) -> dict:
    """What response_map.js draws: one circle per compound with a point, and the campaign
    node's outline when the registry has one."""
    points = []
    for s in figures.summaries:
        compound = s.compound
        if compound.latitude is None or compound.longitude is None:
            continue
        points.append(
            {
                "code": compound.code,
                "name": compound.name,
                "lat": compound.latitude,
                "lon": compound.longitude,
                "rate": float(percent(s.response_rate)),
                "responses": s.responses,
                "households": s.households,
            }
        )
    return {"compounds": points, "outline": figures.campaign.node.outline}


@staff_required
@require_GET
def campaign_detail(request, pk: int):
    scope = request.scope
    campaign = selectors.get_campaign(scope, pk)
    figures = campaign_figures(scope=scope, campaign=campaign)
    compound_ids = [s.compound.pk for s in figures.summaries]
    forums = (
        campaign.forums.filter(compound_id__in=compound_ids)
        .select_related("compound", "recorded_by")
        .prefetch_related("items")
    )
    imports = selectors.recent_imports(campaign=campaign, user=request.user, job=IMPORT_JOB)
    channel_labels = dict(Channel.choices)
    context = {
        "campaign": campaign,
        "status": campaign_status(campaign, today()),
        "working_days": window_working_days(campaign.starts_on, campaign.ends_on),
        "figures": figures,
        "channels": [(value, channel_labels[value], n) for value, n in figures.channels.items()],
        "channel_values": list(Channel.values),
        "forums": forums,
        "map_data": response_map_data(figures),
        "may_organise": scope.has_role(*services.ORGANISERS),
        "upload_form": NeedsUploadForm(),
        "imports": [
            {"task": task, "counts": labelled_counts((task.result or {}).get("counts") or {})}
            for task in imports
        ],
    }
    return render(request, "engagement/campaign_detail.html", context)


def households_matching(queryset, *, building: str, unit: str, room: str):
    """The household at building/unit/room in `queryset` (a compound's or an electorate's),
    reading labels the way people write them ("1栋", "1单元", "101室")."""
    room_key = label_key(room)
    candidates = queryset.filter(room__in={room, room_key, room_key + "室"}).select_related(
        "unit__building"
    )
    return find_household(candidates, building=building, unit=unit, room=room)


@staff_required
@require_http_methods(["GET", "POST"])
def campaign_answer(request, pk: int):
    """Record a household's answer on its behalf: a door-to-door paper, a phone call or a
    forum, logged with the recorder and the paper's reference (`services.submit_needs`)."""
    scope = request.scope
    campaign = selectors.get_campaign(scope, pk)
    require_organiser_role(scope)
    compounds = list(campaign_compounds(scope, campaign))
    items = list(active_items())
    initial = {"compound": request.GET.get("compound", "")}
    form = AnswerForm(request.POST or None, initial=initial, compounds=compounds, items=items)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        compound = data["compound_object"]
        household = households_matching(
            compound.households.all(),
            building=data["building"],
            unit=data["unit"],
            room=data["room"],
        )
        if household is None:
            form.add_error(None, _("在该小区的台账中找不到这一户，请核对楼栋、单元和房号。"))
        else:
            services.require_organiser(scope, compound.path)
            existed = selectors.submission_of(campaign, household) is not None
            with errors_on(form) as attempt:
                services.submit_needs(
                    actor=request.user,
                    campaign=campaign,
                    household=household,
                    needs=[
                        services.NeedChoice(code, urgent) for code, urgent in data["need_choices"]
                    ],
                    willingness=data["willingness"],
                    comment=data["comment"],
                    channel=data["channel"],
                    paper_reference=data["paper_reference"],
                )
            if attempt.succeeded:
                where = f"{household.unit.building.number} {household.unit.number} {household.room}"
                if existed:
                    message = _("已更新 %(household)s 的答卷。") % {"household": where}
                else:
                    message = _("已登记 %(household)s 的答卷。") % {"household": where}
                messages.success(request, message)
                url = reverse("engagement:campaign-answer", args=[campaign.pk])
                return redirect(f"{url}?compound={compound.pk}")
    context = {
        "campaign": campaign,
        "form": form,
        "is_open": campaign.is_open_on(today()),
    }
    return render(request, "engagement/answer_form.html", context)


@staff_required
@require_http_methods(["GET", "POST"])
def campaign_forum(request, pk: int):
    """Minutes of a residents' forum (座谈会): attendance and the items raised."""
    scope = request.scope
    campaign = selectors.get_campaign(scope, pk)
    require_organiser_role(scope)
    compounds = list(campaign_compounds(scope, campaign))
    form = ForumForm(
        request.POST or None,
        initial={"held_on": today()},
        compounds=compounds,
        items=list(active_items()),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with errors_on(form) as attempt:
            services.record_forum(
                actor=request.user,
                scope=scope,
                campaign=campaign,
                compound=data["compound_object"],
                held_on=data["held_on"],
                attendance=data["attendance"],
                item_codes=data["items"],
                minutes=data["minutes"],
            )
        if attempt.succeeded:
            messages.success(request, _("已登记座谈会纪要。"))
            return redirect(reverse("engagement:campaign-detail", args=[campaign.pk]) + "#forums")
    return render(request, "engagement/forum_form.html", {"campaign": campaign, "form": form})


@staff_required
@require_GET
def campaign_export(request, pk: int):
    """The campaign's figures in the viewer's territory as .xlsx (audited)."""
    campaign = selectors.get_campaign(request.scope, pk)
    data = campaign_summary_xlsx(actor=request.user, scope=request.scope, campaign=campaign)
    filename = _("需求征集汇总-%(title)s.xlsx") % {"title": campaign.title}
    return attachment(data, filename, XLSX_CONTENT_TYPE)


@staff_required
@require_http_methods(["GET", "POST"])
def needs_import(request, pk: int):
    """Upload paper survey sheets of a campaign; the import runs as a background job."""
    campaign = selectors.get_campaign(request.scope, pk)
    require_organiser_role(request.scope)
    form = NeedsUploadForm(*((request.POST, request.FILES) if request.method == "POST" else ()))
    if form.is_bound and form.is_valid():
        progress = start_needs_import(
            upload=form.cleaned_data["file"],
            user=request.user,
            scope=request.scope,
            campaign=campaign,
            dry_run=form.cleaned_data["dry_run"],
        )
        return redirect(reverse("core:task-detail", args=[progress.pk]))
    context = {"campaign": campaign, "upload_form": form}
    return render(request, "engagement/needs_import.html", context)


@staff_required
@require_GET
def needs_import_template(request, pk: int):
    """The blank 问卷 workbook, with the campaign's compounds in the viewer's territory."""
    campaign = selectors.get_campaign(request.scope, pk)
    data = needs_template(request.scope, campaign)
    return attachment(data, _("纸质问卷导入模板.xlsx"), XLSX_CONTENT_TYPE)


@staff_required
@require_GET
def needs_import_annotated(request, pk):
    """The rejected file with its problems marked, for whoever may see the import's task and
    may read households' answers (the copy holds them all; `selectors.may_read_answers`)."""
    progress = get_task_progress(request.scope, request.user, pk)
    if not selectors.may_read_answers(request.scope):
        raise NotFound()
    result = progress.result or {}
    name = result.get("annotated_file") if progress.task_name == IMPORT_JOB else ""
    if not name or not default_storage.exists(name):
        return redirect(reverse("core:task-detail", args=[progress.pk]))
    return FileResponse(
        default_storage.open(name, "rb"),
        as_attachment=True,
        filename=_("问题标注-%(file)s.xlsx")
        % {"file": Path(result.get("filename", "")).stem or "import"},
        content_type=XLSX_CONTENT_TYPE,
    )


# --- votes -----------------------------------------------------------------------------------


def vote_status(vote: Vote, moment) -> str:
    if vote.tallied_at:
        return "tallied"
    if moment < vote.opens_at:
        return "upcoming"
    return "open" if vote.is_open_at(moment) else "closed"


@staff_required
@require_GET
def vote_list(request):
    votes = selectors.with_ballot_totals(selectors.vote_list(scope=request.scope))
    page = Paginator(votes, PAGE_SIZE).get_page(request.GET.get("page"))
    moment = timezone.now()
    context = {
        "page": page,
        "rows": [
            {
                "vote": v,
                "status": vote_status(v, moment),
                "turnout": (
                    v.ballot_total if selectors.may_see_turnout(request.scope, v, moment) else None
                ),
            }
            for v in page
        ],
        "may_organise": request.scope.has_role(*services.ORGANISERS),
    }
    return render(request, "engagement/vote_list.html", context)


@staff_required
@require_http_methods(["GET", "POST"])
def vote_create(request):
    """Open a vote on one art. 278 matter for a compound, a building or a building unit."""
    scope = request.scope
    require_organiser_role(scope)
    source = request.POST if request.method == "POST" else request.GET
    code = (source.get("compound") or "").strip()
    compound = None
    if code:
        compound = territory.compound_list(scope=scope).filter(code=code).first()
    buildings = list(territory.buildings_of(compound)) if compound else []
    units = list(territory.units_of(compound)) if compound else []
    if request.method == "POST":
        form = VoteForm(request.POST, buildings=buildings, units=units)
        if form.is_valid():
            data = form.cleaned_data
            if compound is None:
                form.add_error("compound", _("找不到该小区，或不在您的辖区内。"))
            else:
                with errors_on(form) as attempt:
                    vote = services.open_vote(
                        actor=request.user,
                        scope=scope,
                        compound=compound,
                        title=data["title"],
                        matter=data["matter"],
                        opens_at=data["opens_at"],
                        closes_at=data["closes_at"],
                        building=data["building_object"],
                        unit=data["unit_object"],
                        description=data["description"],
                    )
                if attempt.succeeded:
                    messages.success(request, _("已发起业主表决。"))
                    return redirect("engagement:vote-detail", pk=vote.pk)
    else:
        now = timezone.localtime().replace(second=0, microsecond=0)
        initial = {
            "compound": code,
            "opens_at": now,
            "closes_at": now + timedelta(days=14),
            "title": source.get("title", ""),
            "matter": source.get("matter", ""),
        }
        form = VoteForm(initial=initial, buildings=buildings, units=units)
    context = {
        "form": form,
        "compound": compound,
        "compound_options": territory.compound_list(scope=scope).values_list("code", "name")[
            :COMPOUND_CHOICES_LIMIT
        ],
    }
    if request.htmx and request.method == "GET":
        return render(request, "engagement/_vote_scope_fields.html", context)
    return render(request, "engagement/vote_form.html", context)


def threshold_text(threshold: str, strict: bool) -> str:
    return (">" if strict else "≥") + threshold


def explained_checks(result: dict) -> list[dict]:
    """The four ratios of a stored result (`consent.result_as_dict`) with what they divide,
    their threshold and whether each was met, compared exactly as fractions."""
    totals = result["totals"]
    parts = {
        ("participation", "area_ratio"): (
            _("参与表决的专有面积"),
            totals["participating_area"] + " ㎡",
            totals["area"] + " ㎡",
        ),
        ("participation", "head_ratio"): (
            _("参与表决的业主人数"),
            str(totals["participating_heads"]),
            str(totals["heads"]),
        ),
        ("approval", "area_ratio"): (
            _("同意的专有面积（占参与表决面积）"),
            totals["agreeing_area"] + " ㎡",
            totals["participating_area"] + " ㎡",
        ),
        ("approval", "head_ratio"): (
            _("同意的业主人数（占参与表决人数）"),
            str(totals["agreeing_heads"]),
            str(totals["participating_heads"]),
        ),
    }
    rows = []
    for (check_name, ratio_name), (label, numerator, denominator) in parts.items():
        check = result[check_name]
        ratio = Fraction(check[ratio_name]["fraction"])
        threshold = Fraction(check["threshold"])
        met = ratio > threshold if check["strict"] else ratio >= threshold
        rows.append(
            {
                "label": label,
                "numerator": numerator,
                "denominator": denominator,
                "fraction": check[ratio_name]["fraction"],
                "percent": consent.round_half_up(ratio * 100, 2),
                "threshold": threshold_text(check["threshold"], check["strict"]),
                "met": met,
            }
        )
    return rows


@staff_required
@require_GET
def vote_detail(request, pk: int):
    """The electorate, the turnout and counts the viewer may see (`selectors.vote_figures`:
    no counts by choice before the close, no household's choice ever), who took part for the
    door-to-door roles, the paper ballot form while open, the tally after the close, the
    explained result."""
    scope = request.scope
    vote = selectors.get_vote(scope, pk)
    moment = timezone.now()
    figures = selectors.vote_figures(scope=scope, vote=vote, moment=moment)
    rows = selectors.participation_rows(scope=scope, vote=vote)
    result = vote.result
    language = translation.get_language() or ""
    explanation = None
    if result:
        explanation = (
            result.get("explanation_en") if language.startswith("en") else None
        ) or result.get("explanation")
    channel_labels = dict(Channel.choices)
    context = {
        "vote": vote,
        "status": vote_status(vote, moment),
        "is_open": vote.is_open_at(moment),
        "is_closed": moment >= vote.closes_at,
        "figures": figures,
        "choices": (
            [(label, figures.by_choice[value]) for value, label in Choice.choices]
            if figures.by_choice is not None
            else None
        ),
        "channels": [(channel_labels[c], n) for c, n in sorted((figures.by_channel or {}).items())],
        "ballots": rows[:BALLOT_ROWS] if rows is not None else None,
        "may_organise": scope.has_role(*services.ORGANISERS),
        "ballot_form": BallotForm(),
        "result": result,
        "checks": explained_checks(result) if result else [],
        "explanation": explanation,
        "inputs_filename": published_inputs_file(vote)[0] if vote.tallied_at else "",
    }
    return render(request, "engagement/vote_detail.html", context)


@staff_required
@require_http_methods(["GET", "POST"])
def vote_ballot(request, pk: int):
    """A paper ballot entered by staff with its reference (`services.cast_ballot`). The
    channel says how the paper came in: collected at the door (入户, the usual way) or handed
    in at an owners' meeting (座谈会); "imported" is kept for files, "online" for residents.
    When the household already has a ballot, the form shows what would be replaced (how and
    when it came in, not its choice) and asks to confirm; the service refuses otherwise."""
    scope = request.scope
    vote = selectors.get_vote(scope, pk)
    services.require_organiser(scope, vote.compound.path)
    form = BallotForm(request.POST or None)
    replacing = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        household = households_matching(
            vote.electorate(), building=data["building"], unit=data["unit"], room=data["room"]
        )
        if household is None:
            form.add_error(None, _("这一户不在本次表决范围内，请核对楼栋、单元和房号。"))
        else:
            with errors_on(form) as attempt:
                try:
                    services.cast_ballot(
                        actor=request.user,
                        vote=vote,
                        household=household,
                        choice=data["choice"],
                        channel=data["channel"],
                        paper_reference=data["paper_reference"],
                        replace=data["replace"],
                    )
                except services.BallotReplacementUnconfirmed as error:
                    replacing = error.existing
                    raise
            if attempt.succeeded:
                messages.success(request, _("已登记纸质票。"))
                return redirect("engagement:vote-ballot", pk=vote.pk)
    context = {
        "vote": vote,
        "form": form,
        "is_open": vote.is_open_at(timezone.now()),
        "replacing": replacing,
    }
    return render(request, "engagement/ballot_form.html", context)


@staff_required
@require_POST
def vote_tally(request, pk: int):
    """Count a closed vote (again, if ballots were corrected before the close)."""
    scope = request.scope
    vote = selectors.get_vote(scope, pk)
    services.require_organiser(scope, vote.compound.path)
    services.tally_vote(actor=request.user, vote=vote)
    messages.success(request, _("计票完成。"))
    return redirect(reverse("engagement:vote-detail", args=[vote.pk]) + "#result")


def pseudonym(vote: Vote, value: str) -> str:
    """A stable pseudonym of a household or owner within one vote: a keyed hash (HMAC-SHA256
    with the site's secret), so nobody can walk the household ids back to units."""
    digest = salted_hmac(PSEUDONYM_SALT, f"{vote.pk}:{value}", algorithm="sha256").hexdigest()
    return digest[:PSEUDONYM_LENGTH]


def published_inputs(vote: Vote) -> list[consent.UnitBallot]:
    """The tally's per-unit inputs with unit and owner ids pseudonymised; the developer's
    units keep the shared id "developer" (one head, SPC interpretation art. 9)."""
    published = []
    for ballot in services.vote_inputs(vote):
        owner = ballot.owner_id
        if owner != consent.DEVELOPER:
            owner = pseudonym(vote, "owner:" + owner)
        published.append(
            consent.UnitBallot(
                unit_id=pseudonym(vote, "unit:" + ballot.unit_id),
                owner_id=owner,
                area=ballot.area,
                vote=ballot.vote,
            )
        )
    if len({b.unit_id for b in published}) != len(published):  # 48-bit collision: refuse
        raise Conflict()
    return published


@staff_required
@require_GET
def vote_inputs(request, pk: int):
    """The published per-unit inputs of a tallied vote, as CSV without personal data:
    `anju consent tally --ballots FILE --matter major|ordinary` re-counts it exactly."""
    vote = selectors.get_vote(request.scope, pk)
    if not vote.tallied_at:
        raise Conflict(_("表决尚未计票，计票后才公布逐户数据。"))
    filename, text = published_inputs_file(vote)
    return attachment(text.encode("utf-8"), filename, CSV_CONTENT_TYPE)


def published_inputs_file(vote: Vote) -> tuple[str, str]:
    """The published inputs' file name and CSV text. The name carries a digest of the text,
    and the result card's re-check command names this same file, so a reader who downloads
    it and copies the command runs it on the file they just saved."""
    text = consent.published_rows_csv(published_inputs(vote))
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]
    return f"vote-{vote.pk}-inputs-{digest}.csv", text
