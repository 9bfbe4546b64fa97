"""The residents' side of engagement (/portal/engagement/): the household's needs campaigns and
consent votes, on a phone.

Every page needs a resident session (`resident_required`; staff are sent to the portal
sign-in) and finds its campaign, vote or photo through the household: another compound's
record, a vote of another building, or a record that does not exist all answer the same 404.
Writes are the services' (`submit_needs`, `cast_ballot`, with `actor=None` and the online
channel); these views parse, call, and render.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from django.contrib import messages
from django.core.files.storage import default_storage
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from anju.access.services import household_label
from anju.access.views.portal import resident_required
from anju.catalogue.models import catalogue_order_key
from anju.core.calendar import today
from anju.core.errors import DomainError, NotFound
from anju.engine import consent
from anju.territory import selectors as territory

from . import photos, selectors, services
from .models import Ballot, Campaign, Choice, Submission, SubmissionPhoto, Vote
from .portal_forms import BallotForm, NeedsForm, initial_from

# --- reads through the household ------------------------------------------------------------


def _household(request):
    return territory.get_household(request.scope, request.scope.household_id)


def _campaign_for(household, pk) -> Campaign:
    campaign = selectors.campaigns_for_household(household).filter(pk=pk).first()
    if campaign is None:
        raise NotFound()
    return campaign


def _vote_for(household, pk) -> Vote:
    vote = selectors.votes_for_household(household).select_related("compound").filter(pk=pk)
    vote = vote.first()
    if vote is None:
        raise NotFound()
    return vote


@dataclass(frozen=True)
class CampaignStatus:
    code: str  # "upcoming", "open" or "closed"
    text: str


def campaign_status(campaign: Campaign, day) -> CampaignStatus:
    if day < campaign.starts_on:
        return CampaignStatus(
            "upcoming", _("未开始，%(day)s 开始") % {"day": date_format(campaign.starts_on)}
        )
    if day <= campaign.ends_on:
        return CampaignStatus(
            "open", _("进行中，%(day)s 截止") % {"day": date_format(campaign.ends_on)}
        )
    return CampaignStatus("closed", _("已于 %(day)s 结束") % {"day": date_format(campaign.ends_on)})


VOTE_ORDER = ("open", "upcoming", "closed", "counted")


@dataclass(frozen=True)
class VoteStatus:
    code: str  # "upcoming", "open", "closed" (not yet counted) or "counted"
    text: str


def vote_status(vote: Vote, moment) -> VoteStatus:
    if moment < vote.opens_at:
        return VoteStatus("upcoming", _("未开始，%(at)s 开始") % {"at": _moment(vote.opens_at)})
    if vote.is_open_at(moment):
        return VoteStatus("open", _("进行中，%(at)s 截止") % {"at": _moment(vote.closes_at)})
    if vote.result:
        passed = vote.result.get("passed")
        return VoteStatus("counted", _("已计票：通过") if passed else _("已计票：未通过"))
    return VoteStatus("closed", _("已截止，正在计票"))


def _moment(moment) -> str:
    return date_format(timezone.localtime(moment), "DATETIME_FORMAT")


# --- list -----------------------------------------------------------------------------------


@never_cache
@resident_required
@require_GET
def engagement_home(request):
    """The household's campaigns and votes, each with its status and what the household did."""
    household = _household(request)
    day, moment = today(), timezone.now()
    campaigns = list(selectors.campaigns_for_household(household))
    answered = set(
        Submission.objects.filter(campaign__in=campaigns, household=household).values_list(
            "campaign_id", flat=True
        )
    )
    votes = list(selectors.votes_for_household(household))
    ballots = dict(
        Ballot.objects.filter(vote__in=votes, household=household).values_list("vote_id", "choice")
    )
    labels = dict(Choice.choices)
    vote_rows = [(v, vote_status(v, moment), labels.get(ballots.get(v.pk), "")) for v in votes]
    vote_rows.sort(key=lambda row: VOTE_ORDER.index(row[1].code))
    context = {
        "household_label": household_label(household),
        "compound": household.compound,
        "campaigns": [(c, campaign_status(c, day), c.pk in answered) for c in campaigns],
        "votes": vote_rows,
    }
    return render(request, "engagement/portal/home.html", context)


# --- needs ----------------------------------------------------------------------------------


@never_cache
@resident_required
@require_http_methods(["GET", "POST"])
def campaign_detail(request, pk):
    """The needs form while the window is open (pre-filled with the household's answer), the
    answer read back after submitting, and only the answer once the window has closed."""
    household = _household(request)
    campaign = _campaign_for(household, pk)
    status = campaign_status(campaign, today())
    submission = selectors.submission_of(campaign, household)
    editing = status.code == "open" and (
        request.method == "POST" or submission is None or "edit" in request.GET
    )
    form, http_status = None, 200
    if request.method == "POST" and not editing:
        messages.error(request, _("征集不在进行中，不能提交或修改。"))
        http_status = 400
    elif request.method == "POST":
        form = NeedsForm(request.POST, request.FILES, campaign=campaign)
        if form.is_valid():
            try:
                submission = _submit(form, campaign, household)
            except NotFound:
                raise
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("已提交，谢谢您！征集截止前可以修改。"))
                return redirect("engagement-portal:campaign", pk=campaign.pk)
        http_status = 400
    elif editing:
        form = NeedsForm(campaign=campaign, initial=initial_from(submission))
    context = {
        "campaign": campaign,
        "status": status,
        "submission": submission,
        "needs": _in_catalogue_order(submission),
        "form": form if editing else None,
        "max_photos": photos.MAX_PHOTOS,
    }
    return render(request, "engagement/portal/campaign.html", context, status=http_status)


def _in_catalogue_order(submission) -> list:
    if submission is None:
        return []
    return sorted(submission.needs.all(), key=lambda need: catalogue_order_key(need.item))


def _submit(form: NeedsForm, campaign, household) -> Submission:
    submission = services.submit_needs(
        actor=None,
        campaign=campaign,
        household=household,
        needs=form.needs,
        willingness=form.cleaned_data.get("willingness", ""),
        comment=form.cleaned_data["comment"],
        channel="online",
    )
    if form.replaces_photos:
        photos.replace_submission_photos(submission=submission, photos=form.cleaned_data["photos"])
    return submission


@resident_required
@require_GET
def submission_photo(request, pk):
    """A photo of the household's own answer (stored without metadata, served privately)."""
    household = _household(request)
    photo = SubmissionPhoto.objects.filter(pk=pk, submission__household=household).first()
    if photo is None:
        raise NotFound()
    response = FileResponse(default_storage.open(photo.image.name, "rb"), content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=3600"
    return response


# --- votes ----------------------------------------------------------------------------------


@never_cache
@resident_required
@require_http_methods(["GET", "POST"])
def vote_detail(request, pk):
    """The ballot: the matter, how much agreement it needs, the deadline, the household's
    current ballot and three big buttons; a ballot may be changed until the vote closes."""
    household = _household(request)
    vote = _vote_for(household, pk)
    http_status = 200
    if request.method == "POST":
        form = BallotForm(request.POST)
        if form.is_valid():
            try:
                ballot = services.cast_ballot(
                    actor=None,
                    vote=vote,
                    household=household,
                    choice=form.cleaned_data["choice"],
                    channel="online",
                )
            except NotFound:
                raise
            except DomainError as error:
                messages.error(request, error.message)
            else:
                messages.success(
                    request,
                    _("已记录您的意见：%(choice)s。截止前可以修改。")
                    % {"choice": ballot.get_choice_display()},
                )
                return redirect("engagement-portal:vote", pk=vote.pk)
        else:
            messages.error(request, _("请选择同意、反对或弃权。"))
        http_status = 400
    ballot = selectors.ballot_of(vote, household)
    context = {
        "vote": vote,
        "status": vote_status(vote, timezone.now()),
        "ballot": ballot,
        "matter_kind": _matter_kind(vote),
        "choices": [
            (Choice.AGREE, "btn-success"),
            (Choice.DISAGREE, "btn-danger"),
            (Choice.ABSTAIN, "btn-secondary"),
        ],
    }
    return render(request, "engagement/portal/vote.html", context, status=http_status)


def _matter_kind(vote: Vote) -> str:
    if vote.is_major:
        return _("参与表决的业主中，专有面积和人数都须达到四分之三以上同意。")
    return _("参与表决的业主中，专有面积和人数都须超过半数同意。")


@never_cache
@resident_required
@require_GET
def vote_result(request, pk):
    """The result explained: the four ratios as fractions and percentages against their
    thresholds, which one failed, how many households did not vote, and the sentences of the
    tally (`anju.engine.consent.explain`) in the page's language."""
    household = _household(request)
    vote = _vote_for(household, pk)
    context = {
        "vote": vote,
        "status": vote_status(vote, timezone.now()),
        "ballot": selectors.ballot_of(vote, household),
        "matter_kind": _matter_kind(vote),
    }
    if vote.result:
        context.update(explain_result(vote.result))
    return render(request, "engagement/portal/vote_result.html", context)


RATIO_ROWS = (
    # (check, ratio, label, numerator total, denominator total, unit)
    (
        "participation",
        "area_ratio",
        gettext_lazy("参与表决的专有面积"),
        "participating_area",
        "area",
        "㎡",
    ),
    (
        "participation",
        "head_ratio",
        gettext_lazy("参与表决的业主人数"),
        "participating_heads",
        "heads",
        gettext_lazy("人"),
    ),
    (
        "approval",
        "area_ratio",
        gettext_lazy("同意的专有面积（占参与表决面积）"),
        "agreeing_area",
        "participating_area",
        "㎡",
    ),
    (
        "approval",
        "head_ratio",
        gettext_lazy("同意的业主人数（占参与表决人数）"),
        "agreeing_heads",
        "participating_heads",
        gettext_lazy("人"),
    ),
)


@dataclass(frozen=True)
class RatioRow:
    label: str
    numerator: str
    denominator: str
    unit: str
    fraction: str
    percent: str
    threshold: str
    is_met: bool


def explain_result(result: dict) -> dict:
    """Display rows of a stored tally (`consent.result_as_dict`); each ratio is compared with
    its threshold exactly, as the tally did."""
    totals = result["totals"]
    rows = []
    for check_name, ratio_name, label, numerator, denominator, unit in RATIO_ROWS:
        check = result[check_name]
        value = Fraction(check[ratio_name]["fraction"])
        threshold = Fraction(check["threshold"])
        is_met = value > threshold if check["strict"] else value >= threshold
        threshold_text = (
            _("须超过 %(threshold)s") if check["strict"] else _("须达到 %(threshold)s 以上")
        ) % {"threshold": check["threshold"]}
        rows.append(
            RatioRow(
                label=str(label),
                numerator=str(totals[numerator]),
                denominator=str(totals[denominator]),
                unit=str(unit),
                fraction=f"{value.numerator}/{value.denominator}",
                percent=f"{consent.round_half_up(value * 100, 2)}",
                threshold=threshold_text,
                is_met=is_met,
            )
        )
    english = (get_language() or "").startswith("en")
    explanation = result.get("explanation_en") if english else None
    return {
        "passed": result["passed"],
        "participation_rows": rows[:2],
        "approval_rows": rows[2:],
        "failed_rows": [row for row in rows if not row.is_met],
        "not_voted": totals["not_voted_units"],
        "total_units": totals["units"],
        "explanation": explanation or result.get("explanation", []),
    }
