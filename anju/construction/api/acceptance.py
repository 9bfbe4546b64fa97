"""Acceptance API: a project's sessions (list, open), a session with its participants,
checklist progress and defects, inviting and removing participants, a participant's
checklist, defects and their clearing, the outcome and the cleared conditions, and the
certificate PDF once the session passed (the workbench's `certificate_response`).

Scoped like the pages (`selectors.acceptance`): another district's session answers 404 like a
missing one; the services answer 403 to anyone the rules do not name and 400 with their
reason (too few residents' representatives, an open critical finding, …), changing nothing.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from anju.access.models import Organisation
from anju.core.api import ErrorOutput, Pagination
from anju.core.errors import DomainError
from anju.territory.models import Household

from ..models import AcceptanceCheck, AcceptanceSession, Participant
from ..selectors import acceptance as selectors
from ..selectors.projects import get_project
from ..services import acceptance as services
from ..views.acceptance import certificate_response
from .notices import PDFRenderer

OPINION_CHOICES = [
    ("agree", _("同意")),
    ("conditional", _("有条件同意")),
    ("disagree", _("不同意")),
]


class AcceptanceDefectOutput(serializers.Serializer):
    id = serializers.IntegerField()
    session = serializers.IntegerField(source="session_id")
    description = serializers.CharField()
    owner = serializers.IntegerField(source="owner_id", help_text=_("责任单位（参建单位 id）"))
    owner_name = serializers.CharField(source="owner.organisation.name")
    due_on = serializers.DateField()
    cleared_on = serializers.DateField(allow_null=True)
    cleared_note = serializers.CharField()


class AcceptanceParticipantOutput(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=Participant.Kind.choices)
    name = serializers.CharField(help_text=_("居民代表的姓名按查看者的权限脱敏"))
    organisation = serializers.CharField(allow_blank=True)
    household = serializers.IntegerField(allow_null=True)
    household_label = serializers.CharField(allow_blank=True)
    party = serializers.IntegerField(allow_null=True)
    opinion = serializers.CharField(allow_blank=True)
    comment = serializers.CharField(allow_blank=True)
    channel = serializers.CharField(allow_blank=True)
    signed_at = serializers.DateTimeField(allow_null=True)
    checks = serializers.IntegerField()
    failed = serializers.IntegerField()


def participant_output(participant, scope) -> dict:
    organisation = ""
    if participant.party_id:
        organisation = participant.party.organisation.name
    elif participant.organisation_id:
        organisation = participant.organisation.name
    checks = getattr(participant, "check_count", None)
    failed = getattr(participant, "failed_count", None)
    if checks is None:
        checks = participant.checks.count()
        failed = participant.checks.filter(result=AcceptanceCheck.Result.FAIL).count()
    return AcceptanceParticipantOutput(
        {
            "id": participant.pk,
            "kind": participant.kind,
            "name": selectors.shown_name(participant, scope),
            "organisation": organisation,
            "household": participant.household_id,
            "household_label": selectors.household_address(participant.household),
            "party": participant.party_id,
            "opinion": participant.opinion,
            "comment": participant.comment,
            "channel": participant.channel,
            "signed_at": participant.signed_at,
            "checks": checks,
            "failed": failed,
        }
    ).data


class AcceptanceSessionOutput(serializers.Serializer):
    class ProgressOutput(serializers.Serializer):
        participants = serializers.IntegerField()
        signed = serializers.IntegerField()
        residents = serializers.IntegerField()
        residents_signed = serializers.IntegerField()
        min_residents = serializers.IntegerField()
        checklist_lines = serializers.IntegerField()
        open_defects = serializers.IntegerField()
        defects = serializers.IntegerField()

    class ChecklistLineOutput(serializers.Serializer):
        code = serializers.CharField()
        label = serializers.CharField()

    id = serializers.IntegerField()
    project = serializers.IntegerField(source="project_id")
    scheduled_on = serializers.DateField()
    place = serializers.CharField()
    outcome = serializers.CharField(help_text=_("passed / conditional / failed；空为未作结论"))
    conditions = serializers.CharField()
    decided_at = serializers.DateTimeField(allow_null=True)
    conditions_cleared_at = serializers.DateTimeField(allow_null=True)
    certificate_number = serializers.CharField()


class AcceptanceSessionDetailOutput(AcceptanceSessionOutput):
    progress = AcceptanceSessionOutput.ProgressOutput()
    checklist = AcceptanceSessionOutput.ChecklistLineOutput(many=True)
    participants = AcceptanceParticipantOutput(many=True)
    defects = AcceptanceDefectOutput(many=True)
    blockers = serializers.ListField(child=serializers.CharField())


def session_detail(session, scope) -> dict:
    data = dict(AcceptanceSessionOutput(session).data)
    data["progress"] = AcceptanceSessionOutput.ProgressOutput(
        selectors.session_progress(session)
    ).data
    data["checklist"] = [
        {"code": line.code, "label": line.label} for line in selectors.checklist(session.project)
    ]
    data["participants"] = [
        participant_output(p, scope) for p in selectors.participants_of(session)
    ]
    data["defects"] = AcceptanceDefectOutput(selectors.defects_of(session), many=True).data
    data["blockers"] = [message for _code, message in selectors.decision_blockers(session)]
    return data


class ProjectAcceptanceSessionsAPI(APIView):
    pagination_class = Pagination

    class AcceptanceOpenInput(serializers.Serializer):
        scheduled_on = serializers.DateField()
        place = serializers.CharField(max_length=120, required=False, allow_blank=True, default="")

    @extend_schema(responses=AcceptanceSessionOutput(many=True), summary=_("项目的竣工验收"))
    def get(self, request, pk: int):
        project = get_project(request.scope, pk)
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(selectors.sessions_of(project), request, view=self)
        return paginator.get_paginated_response(AcceptanceSessionOutput(page, many=True).data)

    @extend_schema(
        request=AcceptanceOpenInput,
        responses={201: AcceptanceSessionDetailOutput},
        summary=_("组织竣工验收"),
    )
    def post(self, request, pk: int):
        project = get_project(request.scope, pk)
        body = self.AcceptanceOpenInput(data=request.data)
        body.is_valid(raise_exception=True)
        session = services.open_session(
            actor=request.user, scope=request.scope, project=project, **body.validated_data
        )
        return Response(session_detail(session, request.scope), status=status.HTTP_201_CREATED)


class AcceptanceSessionAPI(APIView):
    @extend_schema(responses=AcceptanceSessionDetailOutput, summary=_("竣工验收详情"))
    def get(self, request, pk: int):
        session = selectors.get_session(request.scope, pk)
        return Response(session_detail(session, request.scope))


class AcceptanceParticipantsAPI(APIView):
    class AcceptanceInviteInput(serializers.Serializer):
        kind = serializers.ChoiceField(choices=["resident", "department", "office"])
        households = serializers.ListField(
            child=serializers.IntegerField(min_value=1, max_value=2**63 - 1),
            required=False,
            default=list,
            max_length=200,
            help_text=_("居民代表：本项目小区的住户 id"),
        )
        organisation = serializers.IntegerField(
            required=False, allow_null=True, default=None, min_value=1, max_value=2**63 - 1
        )
        name = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")

    @extend_schema(
        request=AcceptanceInviteInput,
        responses={201: AcceptanceParticipantOutput(many=True)},
        summary=_("邀请验收参加人"),
    )
    def post(self, request, pk: int):
        scope = request.scope
        session = selectors.get_session(scope, pk)
        body = self.AcceptanceInviteInput(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        if data["kind"] == "resident":
            found = {
                h.pk: h
                for h in Household.objects.filter(
                    pk__in=data["households"], compound__in=session.project.compounds.all()
                )
            }
            unknown = [pk for pk in data["households"] if pk not in found]
            if unknown or not data["households"]:
                raise DomainError(
                    _("居民代表须从本项目小区的住户中选出。"),
                    fields={"households": [_("不是本项目小区的住户")]},
                )
            invitations = [
                services.Invitation(kind="resident", household=found[pk], name=data["name"])
                for pk in data["households"]
            ]
        else:
            organisation = None
            if data["organisation"] is not None:
                organisation = Organisation.objects.filter(pk=data["organisation"]).first()
                if organisation is None:
                    raise DomainError(
                        _("找不到该机构。"), fields={"organisation": [_("找不到该机构")]}
                    )
            invitations = [
                services.Invitation(kind=data["kind"], name=data["name"], organisation=organisation)
            ]
        participants = services.invite_participants(
            actor=request.user, scope=scope, session=session, invitations=invitations
        )
        return Response(
            [participant_output(p, scope) for p in participants], status=status.HTTP_201_CREATED
        )


class AcceptanceParticipantAPI(APIView):
    @extend_schema(responses=AcceptanceParticipantOutput, summary=_("验收参加人"))
    def get(self, request, pk: int):
        participant = selectors.get_participant(request.scope, pk)
        return Response(participant_output(participant, request.scope))

    @extend_schema(responses={204: None}, summary=_("移出验收参加人"))
    def delete(self, request, pk: int):
        participant = selectors.get_participant(request.scope, pk)
        services.remove_participant(
            actor=request.user, scope=request.scope, participant=participant
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


class AcceptanceChecksAPI(APIView):
    class AcceptanceCheckOutput(serializers.Serializer):
        item_code = serializers.CharField()
        item_label = serializers.CharField()
        result = serializers.ChoiceField(choices=AcceptanceCheck.Result.choices)
        note = serializers.CharField()

    class AcceptanceChecklistInput(serializers.Serializer):
        class AcceptanceCheckInput(serializers.Serializer):
            code = serializers.CharField(max_length=40)
            result = serializers.ChoiceField(choices=AcceptanceCheck.Result.choices)
            note = serializers.CharField(
                max_length=300, required=False, allow_blank=True, default=""
            )

        checks = AcceptanceCheckInput(many=True)
        opinion = serializers.ChoiceField(choices=OPINION_CHOICES)
        comment = serializers.CharField(
            max_length=500, required=False, allow_blank=True, default=""
        )
        channel = serializers.ChoiceField(
            choices=[("workbench", _("工作台填报")), ("paper", _("纸质签字，工作人员录入"))],
            default="workbench",
        )

    @extend_schema(responses=AcceptanceCheckOutput(many=True), summary=_("参加人的验收清单"))
    def get(self, request, pk: int):
        participant = selectors.get_participant(request.scope, pk)
        return Response(self.AcceptanceCheckOutput(participant.checks.all(), many=True).data)

    @extend_schema(
        request=AcceptanceChecklistInput,
        responses=AcceptanceParticipantOutput,
        summary=_("填写验收清单和意见"),
    )
    def post(self, request, pk: int):
        participant = selectors.get_participant(request.scope, pk)
        body = self.AcceptanceChecklistInput(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        participant = services.record_checklist(
            actor=request.user,
            scope=request.scope,
            participant=participant,
            answers=[services.CheckAnswer(**check) for check in data["checks"]],
            opinion=data["opinion"],
            comment=data["comment"],
            channel=data["channel"],
        )
        return Response(participant_output(participant, request.scope))


class AcceptanceDefectsAPI(APIView):
    class AcceptanceDefectInput(serializers.Serializer):
        description = serializers.CharField(max_length=500)
        owner = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
        due_on = serializers.DateField()

    @extend_schema(
        request=AcceptanceDefectInput,
        responses={201: AcceptanceDefectOutput},
        summary=_("登记验收问题"),
    )
    def post(self, request, pk: int):
        session = selectors.get_session(request.scope, pk)
        body = self.AcceptanceDefectInput(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        defect = services.record_defect(
            actor=request.user,
            scope=request.scope,
            session=session,
            description=data["description"],
            owner=session.project.parties.filter(pk=data["owner"]).first(),
            due_on=data["due_on"],
        )
        return Response(AcceptanceDefectOutput(defect).data, status=status.HTTP_201_CREATED)


class AcceptanceDefectClearAPI(APIView):
    class AcceptanceDefectClearInput(serializers.Serializer):
        note = serializers.CharField(max_length=300)

    @extend_schema(
        request=AcceptanceDefectClearInput,
        responses=AcceptanceDefectOutput,
        summary=_("确认验收问题整改完成"),
    )
    def post(self, request, pk: int):
        defect = selectors.get_defect(request.scope, pk)
        body = self.AcceptanceDefectClearInput(data=request.data)
        body.is_valid(raise_exception=True)
        defect = services.clear_defect(
            actor=request.user, scope=request.scope, defect=defect, note=body.validated_data["note"]
        )
        return Response(AcceptanceDefectOutput(defect).data)


class AcceptanceDecisionAPI(APIView):
    class AcceptanceDecisionInput(serializers.Serializer):
        outcome = serializers.ChoiceField(choices=AcceptanceSession.Outcome.choices)
        conditions = serializers.CharField(
            max_length=3000, required=False, allow_blank=True, default=""
        )

    @extend_schema(
        request=AcceptanceDecisionInput,
        responses=AcceptanceSessionDetailOutput,
        summary=_("作出验收结论"),
    )
    def post(self, request, pk: int):
        session = selectors.get_session(request.scope, pk)
        body = self.AcceptanceDecisionInput(data=request.data)
        body.is_valid(raise_exception=True)
        session = services.decide_outcome(
            actor=request.user, scope=request.scope, session=session, **body.validated_data
        )
        return Response(session_detail(session, request.scope))


class AcceptanceConditionsClearedAPI(APIView):
    @extend_schema(
        request=None, responses=AcceptanceSessionDetailOutput, summary=_("确认整改条件全部完成")
    )
    def post(self, request, pk: int):
        session = selectors.get_session(request.scope, pk)
        session = services.clear_conditions(
            actor=request.user, scope=request.scope, session=session
        )
        return Response(session_detail(session, request.scope))


class AcceptanceCertificateAPI(APIView):
    renderer_classes = [JSONRenderer, PDFRenderer]

    @extend_schema(
        responses={
            (200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY),
            404: OpenApiResponse(
                ErrorOutput,
                description=_(
                    "找不到该记录（不在您范围内的也这样回答）；结论作出前 code 为 not_decided，"
                    "未通过的验收 code 为 no_certificate"
                ),
            ),
        },
        summary=_("竣工验收证书（PDF，验收通过或有条件通过后）"),
    )
    def get(self, request, pk: int):
        session = selectors.get_session(request.scope, pk)
        return certificate_response(session, request.scope)
