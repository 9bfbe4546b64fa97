"""Construction's cards on the resident's portal home (`anju.access.portal_cards`): the
compound's construction notice while the works are on, a seat as residents' representative
at a joint acceptance still undecided, and a satisfaction check the household was drawn for
and has not answered yet."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils.translation import gettext as _

from anju.access.portal_cards import PortalCard
from anju.territory.models import Household

from ..selectors import acceptance as acceptance_selectors
from ..selectors import notices as notice_selectors
from ..selectors import sampling as sampling_selectors


def home_cards(household: Household, day: dt.date) -> list[PortalCard]:
    return [
        *_acceptance_cards(household),
        *_satisfaction_cards(household, day),
        *_notice_cards(household),
    ]


def _acceptance_cards(household: Household) -> list[PortalCard]:
    cards = []
    for participant in acceptance_selectors.invitations_of(household):
        session = participant.session
        words = {"project": session.project.name, "date": session.scheduled_on.isoformat()}
        if participant.opinion:
            text = _("您已提交%(project)s联合竣工验收（%(date)s）的意见，验收结论作出前可以修改。")
        else:
            text = _(
                "您家被推选为居民代表，参加%(project)s的联合竣工验收（%(date)s），"
                "请逐项填写验收意见。"
            )
        cards.append(
            PortalCard(
                key=f"acceptance-{session.pk}",
                title=_("联合竣工验收"),
                text=text % words,
                url=reverse("construction-portal:acceptance", args=[session.pk]),
                action=_("填写验收意见") if not participant.opinion else _("查看我的意见"),
                urgent=not participant.opinion,
            )
        )
    return cards


def _satisfaction_cards(household: Household, day: dt.date) -> list[PortalCard]:
    cards = []
    for survey in sampling_selectors.surveys_for_household(household):
        if not sampling_selectors.is_open(survey, day):
            continue
        if not sampling_selectors.is_sampled(survey, household):
            continue
        if sampling_selectors.answer_of(survey, household) is not None:
            continue
        text = _("%(project)s已通过验收。您家被随机抽中评价改造效果，请在 %(date)s 前作答。") % {
            "project": survey.project.name,
            "date": survey.closes_on.isoformat(),
        }
        cards.append(
            PortalCard(
                key=f"satisfaction-{survey.pk}",
                title=_("改造满意度测评"),
                text=text,
                url=reverse("construction-portal:satisfaction-answer", args=[survey.pk]),
                action=_("去评价"),
                urgent=True,
            )
        )
    return cards


def _notice_cards(household: Household) -> list[PortalCard]:
    return [
        PortalCard(
            key=f"construction-notice-{project.pk}",
            title=_("施工公示"),
            text=_("%(project)s正在施工：施工单位、工期、进度和投诉方式都在公示里。")
            % {"project": project.name},
            url=reverse("construction-portal:notice", args=[project.pk]),
            action=_("查看施工公示"),
        )
        for project in notice_selectors.notices_during_works(household.compound_id)
    ]
