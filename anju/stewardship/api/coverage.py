"""Coverage API: the figures by district, street or community (with change over time), and a
compound's coverage (contracts, governance profile and owners' committee, party members) with
the operations that change it.

Scoped like the pages: compounds are named by code and fetched through the territory's scoped
accessor, contracts and members through the compounds the viewer may see, so another
district's records answer 404 like missing ones. Party members' phones are masked unless the
viewer's role works with residents directly. The services decide who may write (the
compound's district, street or community; others 403).
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from anju.access.models import Organisation
from anju.core.errors import PermissionDenied
from anju.stewardship.models import CONTRACT_STATUSES, CommitteeMember
from anju.territory.models import ManagementStatus, PartyOrganisation
from anju.territory.selectors import get_compound

from .. import rules
from ..selectors import coverage as selectors
from ..services import coverage as services

# --- output ---------------------------------------------------------------------------------


class CoverageRowOutput(serializers.Serializer):
    code = serializers.CharField(help_text=_("区、街道或社区编码；合计行为空"))
    name = serializers.CharField()
    compounds = serializers.IntegerField()
    with_property = serializers.IntegerField(help_text=_("有物业服务（专业物业或红色物业）"))
    with_owners_committee = serializers.IntegerField(help_text=_("已成立业委会且在任期内"))
    with_party = serializers.IntegerField(help_text=_("建立独立或联合党支部"))
    property_share = serializers.DecimalField(
        max_digits=4, decimal_places=1, allow_null=True, help_text=_("百分比，一位小数")
    )
    owners_committee_share = serializers.DecimalField(
        max_digits=4, decimal_places=1, allow_null=True
    )
    party_share = serializers.DecimalField(max_digits=4, decimal_places=1, allow_null=True)


class CoveragePointOutput(serializers.Serializer):
    day = serializers.DateField()
    total = CoverageRowOutput()


class CoverageUncoveredOutput(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    management_status = serializers.ChoiceField(choices=ManagementStatus.choices)
    lacks = serializers.ListField(
        child=serializers.ChoiceField(choices=["property", "owners_committee", "party"])
    )


class CoverageReportOutput(serializers.Serializer):
    level = serializers.ChoiceField(choices=list(selectors.LEVELS))
    rows = CoverageRowOutput(many=True)
    total = CoverageRowOutput()
    over_time = CoveragePointOutput(many=True)
    uncovered = CoverageUncoveredOutput(many=True)


class CoverageContractOutput(serializers.Serializer):
    id = serializers.IntegerField()
    compound = serializers.CharField(source="compound.code")
    company = serializers.CharField(source="company.name")
    company_id = serializers.IntegerField()
    service_kind = serializers.ChoiceField(choices=[(s.value, s.label) for s in CONTRACT_STATUSES])
    starts_on = serializers.DateField()
    ends_on = serializers.DateField(allow_null=True)
    ended_early_on = serializers.DateField(allow_null=True)
    monthly_fee_per_m2 = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)
    note = serializers.CharField()


class CoverageProfileOutput(serializers.Serializer):
    residents_committee = serializers.CharField()
    owners_committee_elected_on = serializers.DateField(allow_null=True)
    owners_committee_term_ends_on = serializers.DateField(allow_null=True)
    party_branch_name = serializers.CharField()
    party_branch_secretary = serializers.CharField()


class CoverageCommitteeMemberOutput(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    position = serializers.ChoiceField(choices=CommitteeMember.Position.choices)


class CoveragePartyMemberOutput(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    name = serializers.CharField()
    phone = serializers.CharField(help_text=_("无权查看个人信息的角色看到打码号码"))
    home_organisation = serializers.CharField()
    registered_on = serializers.DateField()
    left_on = serializers.DateField(allow_null=True)
    hours = serializers.DecimalField(max_digits=8, decimal_places=1)
    services = serializers.IntegerField()


class CoverageServiceRecordOutput(serializers.Serializer):
    id = serializers.IntegerField()
    member = serializers.IntegerField(source="member_id")
    served_on = serializers.DateField()
    hours = serializers.DecimalField(max_digits=4, decimal_places=1)
    activity = serializers.CharField()


class CompoundCoverageOutput(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    management_status = serializers.ChoiceField(choices=ManagementStatus.choices)
    has_owners_committee = serializers.BooleanField()
    party_organisation = serializers.ChoiceField(choices=PartyOrganisation.choices)
    contracts = CoverageContractOutput(many=True)
    profile = CoverageProfileOutput(allow_null=True)
    committee_members = CoverageCommitteeMemberOutput(many=True)
    party_members = CoveragePartyMemberOutput(many=True)


def compound_coverage(scope, compound) -> dict:
    return {
        "code": compound.code,
        "name": compound.name,
        "management_status": compound.management_status,
        "has_owners_committee": compound.has_owners_committee,
        "party_organisation": compound.party_organisation,
        "contracts": list(selectors.contracts_of(compound)),
        "profile": selectors.profile_of(compound),
        "committee_members": list(selectors.committee_members_of(compound)),
        "party_members": selectors.party_members_of(scope, compound),
    }


def _fresh(request, code):
    compound = get_compound(request.scope, code)
    return CompoundCoverageOutput(compound_coverage(request.scope, compound)).data


# --- figures --------------------------------------------------------------------------------


class CoverageFiguresAPI(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter("by", enum=list(selectors.LEVELS), description=_("统计层级")),
            OpenApiParameter(
                "lacking",
                enum=["property", "owners_committee", "party"],
                description=_("只列出缺少这一项的小区"),
            ),
        ],
        responses=CoverageReportOutput,
        summary=_("物业服务、业委会和党组织覆盖率（按区、街道或社区）"),
    )
    def get(self, request):
        scope = request.scope
        if not rules.may_see_coverage_report(scope):
            raise PermissionDenied(_("只有市、区、街道和社区工作人员可以查看覆盖情况。"))
        level = request.query_params.get("by", "")
        lacking = request.query_params.get("lacking", "")
        if lacking not in ("property", "owners_committee", "party"):
            lacking = ""
        report = selectors.coverage_report(scope, level=level or None)
        uncovered = selectors.uncovered_compounds(scope, lacking=lacking)
        body = {
            "level": report.level,
            "rows": report.rows,
            "total": report.total,
            "over_time": report.over_time,
            "uncovered": uncovered,
        }
        return Response(CoverageReportOutput(body).data)


# --- one compound ---------------------------------------------------------------------------


class CompoundCoverageAPI(APIView):
    @extend_schema(responses=CompoundCoverageOutput, summary=_("小区的物业服务和党组织情况"))
    def get(self, request, code: str):
        return Response(_fresh(request, code))


class CompoundContractsAPI(APIView):
    class CoverageContractInput(serializers.Serializer):
        company = serializers.PrimaryKeyRelatedField(
            queryset=Organisation.objects.filter(kind=Organisation.Kind.PROPERTY),
            help_text=_("物业企业编号"),
        )
        service_kind = serializers.ChoiceField(
            choices=[(s.value, s.label) for s in CONTRACT_STATUSES]
        )
        starts_on = serializers.DateField()
        ends_on = serializers.DateField(required=False, allow_null=True)
        monthly_fee_per_m2 = serializers.DecimalField(
            max_digits=6, decimal_places=2, min_value=0, required=False, allow_null=True
        )
        note = serializers.CharField(max_length=300, required=False, allow_blank=True)

    @extend_schema(responses=CoverageContractOutput(many=True), summary=_("小区的物业服务合同"))
    def get(self, request, code: str):
        compound = get_compound(request.scope, code)
        return Response(CoverageContractOutput(selectors.contracts_of(compound), many=True).data)

    @extend_schema(
        request=CoverageContractInput,
        responses={201: CoverageContractOutput},
        summary=_("登记物业服务合同（合同期不得与现有合同重叠）"),
    )
    def post(self, request, code: str):
        compound = get_compound(request.scope, code)
        services.check_may_edit(request.scope, compound)
        body = self.CoverageContractInput(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        contract = services.record_property_contract(
            actor=request.user,
            scope=request.scope,
            compound=compound,
            company=data["company"],
            service_kind=data["service_kind"],
            starts_on=data["starts_on"],
            ends_on=data.get("ends_on"),
            monthly_fee_per_m2=data.get("monthly_fee_per_m2"),
            note=data.get("note", ""),
        )
        return Response(CoverageContractOutput(contract).data, status=status.HTTP_201_CREATED)


class ContractEndAPI(APIView):
    class CoverageContractEndInput(serializers.Serializer):
        ended_on = serializers.DateField(help_text=_("最后一个服务日"))
        note = serializers.CharField(max_length=200, required=False, allow_blank=True)

    @extend_schema(responses=CoverageContractOutput, summary=_("一份物业服务合同"))
    def get(self, request, pk: int):
        return Response(CoverageContractOutput(selectors.get_contract(request.scope, pk)).data)

    @extend_schema(
        request=CoverageContractEndInput,
        responses=CoverageContractOutput,
        summary=_("提前终止物业服务合同"),
    )
    def post(self, request, pk: int):
        contract = selectors.get_contract(request.scope, pk)
        services.check_may_edit(request.scope, contract.compound)
        body = self.CoverageContractEndInput(data=request.data)
        body.is_valid(raise_exception=True)
        contract = services.end_property_contract(
            actor=request.user,
            scope=request.scope,
            contract=contract,
            ended_on=body.validated_data["ended_on"],
            note=body.validated_data.get("note", ""),
        )
        return Response(CoverageContractOutput(contract).data)


class CompoundManagementStatusAPI(APIView):
    class CoverageStatusInput(serializers.Serializer):
        status = serializers.ChoiceField(
            choices=[(s.value, s.label) for s in services.NON_COMPANY_STATUSES]
        )

    @extend_schema(
        request=CoverageStatusInput,
        responses=CompoundCoverageOutput,
        summary=_("设置无物业企业时的管理方式（业主自治、街道托管或无）"),
    )
    def post(self, request, code: str):
        compound = get_compound(request.scope, code)
        services.check_may_edit(request.scope, compound)
        body = self.CoverageStatusInput(data=request.data)
        body.is_valid(raise_exception=True)
        services.set_management_status(
            actor=request.user,
            scope=request.scope,
            compound=compound,
            status=body.validated_data["status"],
        )
        return Response(_fresh(request, code))


class CompoundGovernanceProfileAPI(APIView):
    class CoverageProfileInput(serializers.Serializer):
        residents_committee = serializers.CharField(
            max_length=100, required=False, allow_blank=True
        )
        owners_committee_elected_on = serializers.DateField(required=False, allow_null=True)
        owners_committee_term_ends_on = serializers.DateField(required=False, allow_null=True)
        party_organisation = serializers.ChoiceField(choices=PartyOrganisation.choices)
        party_branch_name = serializers.CharField(max_length=100, required=False, allow_blank=True)
        party_branch_secretary = serializers.CharField(
            max_length=40, required=False, allow_blank=True
        )

    @extend_schema(
        responses=CoverageProfileOutput, summary=_("小区治理信息（居委会、业委会、党组织）")
    )
    def get(self, request, code: str):
        compound = get_compound(request.scope, code)
        profile = selectors.profile_of(compound)
        return Response(CoverageProfileOutput(profile).data if profile else None)

    @extend_schema(
        request=CoverageProfileInput,
        responses=CompoundCoverageOutput,
        summary=_("保存小区治理信息（整体替换）"),
    )
    def put(self, request, code: str):
        compound = get_compound(request.scope, code)
        services.check_may_edit(request.scope, compound)
        body = self.CoverageProfileInput(data=request.data)
        body.is_valid(raise_exception=True)
        services.save_governance_profile(
            actor=request.user, scope=request.scope, compound=compound, **body.validated_data
        )
        return Response(_fresh(request, code))


class CompoundCommitteeMembersAPI(APIView):
    class CoverageCommitteeMemberInput(serializers.Serializer):
        name = serializers.CharField(max_length=40)
        position = serializers.ChoiceField(
            choices=CommitteeMember.Position.choices, default=CommitteeMember.Position.MEMBER
        )

    @extend_schema(responses=CoverageCommitteeMemberOutput(many=True), summary=_("业委会成员"))
    def get(self, request, code: str):
        compound = get_compound(request.scope, code)
        members = selectors.committee_members_of(compound)
        return Response(CoverageCommitteeMemberOutput(members, many=True).data)

    @extend_schema(
        request=CoverageCommitteeMemberInput,
        responses={201: CoverageCommitteeMemberOutput},
        summary=_("登记业委会成员"),
    )
    def post(self, request, code: str):
        compound = get_compound(request.scope, code)
        services.check_may_edit(request.scope, compound)
        body = self.CoverageCommitteeMemberInput(data=request.data)
        body.is_valid(raise_exception=True)
        member = services.add_committee_member(
            actor=request.user, scope=request.scope, compound=compound, **body.validated_data
        )
        return Response(CoverageCommitteeMemberOutput(member).data, status=status.HTTP_201_CREATED)


class CommitteeMemberAPI(APIView):
    @extend_schema(responses=CoverageCommitteeMemberOutput, summary=_("一名业委会成员"))
    def get(self, request, pk: int):
        member = selectors.get_committee_member(request.scope, pk)
        return Response(CoverageCommitteeMemberOutput(member).data)

    @extend_schema(responses={204: None}, summary=_("移除业委会成员"))
    def delete(self, request, pk: int):
        member = selectors.get_committee_member(request.scope, pk)
        services.remove_committee_member(actor=request.user, scope=request.scope, member=member)
        return Response(status=status.HTTP_204_NO_CONTENT)


class CompoundPartyMembersAPI(APIView):
    class CoveragePartyMemberInput(serializers.Serializer):
        name = serializers.CharField(max_length=40)
        phone = serializers.CharField(max_length=20, required=False, allow_blank=True)
        home_organisation = serializers.CharField(max_length=120, required=False, allow_blank=True)
        registered_on = serializers.DateField()

    @extend_schema(responses=CoveragePartyMemberOutput(many=True), summary=_("下沉党员"))
    def get(self, request, code: str):
        compound = get_compound(request.scope, code)
        rows = selectors.party_members_of(request.scope, compound)
        return Response(CoveragePartyMemberOutput(rows, many=True).data)

    @extend_schema(
        request=CoveragePartyMemberInput,
        responses={201: CoveragePartyMemberOutput(many=True)},
        summary=_("登记下沉党员（回答该小区的全部下沉党员）"),
    )
    def post(self, request, code: str):
        compound = get_compound(request.scope, code)
        services.check_may_edit(request.scope, compound)
        body = self.CoveragePartyMemberInput(data=request.data)
        body.is_valid(raise_exception=True)
        services.register_party_member(
            actor=request.user, scope=request.scope, compound=compound, **body.validated_data
        )
        rows = selectors.party_members_of(request.scope, compound)
        return Response(
            CoveragePartyMemberOutput(rows, many=True).data, status=status.HTTP_201_CREATED
        )


class CoveragePartyMemberLeftOutput(serializers.Serializer):
    id = serializers.IntegerField()
    left_on = serializers.DateField()


class PartyMemberLeaveAPI(APIView):
    class CoveragePartyMemberLeaveInput(serializers.Serializer):
        left_on = serializers.DateField()

    @extend_schema(
        request=CoveragePartyMemberLeaveInput,
        responses=CoveragePartyMemberLeftOutput,
        summary=_("登记下沉党员离开"),
    )
    def post(self, request, pk: int):
        member = selectors.get_party_member(request.scope, pk)
        services.check_may_edit(request.scope, member.compound)
        body = self.CoveragePartyMemberLeaveInput(data=request.data)
        body.is_valid(raise_exception=True)
        member = services.record_party_member_leaving(
            actor=request.user,
            scope=request.scope,
            member=member,
            left_on=body.validated_data["left_on"],
        )
        return Response({"id": member.pk, "left_on": member.left_on})


class PartyMemberServicesAPI(APIView):
    class CoverageServiceRecordInput(serializers.Serializer):
        served_on = serializers.DateField()
        hours = serializers.DecimalField(
            max_digits=4, decimal_places=1, min_value=Decimal("0.5"), max_value=24
        )
        activity = serializers.CharField(max_length=200)

    @extend_schema(responses=CoverageServiceRecordOutput(many=True), summary=_("党员的服务记录"))
    def get(self, request, pk: int):
        member = selectors.get_party_member(request.scope, pk)
        return Response(CoverageServiceRecordOutput(selectors.services_of(member), many=True).data)

    @extend_schema(
        request=CoverageServiceRecordInput,
        responses={201: CoverageServiceRecordOutput},
        summary=_("登记党员服务记录（时长）"),
    )
    def post(self, request, pk: int):
        member = selectors.get_party_member(request.scope, pk)
        services.check_may_edit(request.scope, member.compound)
        body = self.CoverageServiceRecordInput(data=request.data)
        body.is_valid(raise_exception=True)
        record = services.record_service(
            actor=request.user, scope=request.scope, member=member, **body.validated_data
        )
        return Response(CoverageServiceRecordOutput(record).data, status=status.HTTP_201_CREATED)
