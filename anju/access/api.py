"""Administration API (/api/v1/staff/, /organisations/, /assignments/, /onboard/): the same
services, predicates and accessors as the pages under /workbench/admin/. Outside the actor's
authority answers 404; a refused grant 403; a rule 400 with {code, message, fields}.
Generated passwords are in the creating response only."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from anju.core.importing import ImportParams

from . import administration as admin
from . import rules, selectors
from .models import Organisation, Role
from .onboarding import OnboardingImporter


def authority(request) -> rules.Authority:
    found = rules.authority_of(request.user)
    admin.require_administrator(found)
    return found


class RoleOutput(serializers.Serializer):
    id = serializers.IntegerField()
    role = serializers.CharField()
    node = serializers.CharField(source="node.code", allow_null=True, default=None)
    organisation = serializers.CharField(source="organisation.name", allow_null=True, default=None)


class StaffOutput(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    full_name = serializers.CharField(source="first_name")
    email = serializers.CharField()
    is_active = serializers.BooleanField()
    roles = RoleOutput(source="role_assignments.all", many=True)


class GrantInput(serializers.Serializer):
    role = serializers.ChoiceField(choices=Role.choices)
    node = serializers.CharField(required=False, allow_blank=True, max_length=20, default="")
    organisation = serializers.IntegerField(required=False, allow_null=True, default=None)

    def grant(self, found: rules.Authority) -> admin.RoleGrant:
        data = self.validated_data
        node = selectors.get_grantable_node(found, data["node"]) if data["node"] else None
        organisation = (
            selectors.get_organisation(found, data["organisation"])
            if data["organisation"]
            else None
        )
        return admin.RoleGrant(data["role"], node, organisation)


class StaffAPI(APIView):
    class CreateInput(GrantInput):
        username = serializers.CharField(max_length=150)
        full_name = serializers.CharField(max_length=150)
        email = serializers.EmailField(required=False, allow_blank=True, default="")
        password = serializers.CharField(required=False, allow_blank=True, max_length=128)

    class CreatedOutput(StaffOutput):
        generated_password = serializers.CharField(allow_null=True)

    @extend_schema(responses=StaffOutput(many=True), summary=_("工作人员列表（本辖区）"))
    def get(self, request):
        staff = selectors.staff_list(
            authority=authority(request), search=request.GET.get("q", "")[:60]
        )
        return Response(StaffOutput(staff, many=True).data)

    @extend_schema(
        request=CreateInput, responses={201: CreatedOutput}, summary=_("创建工作人员账号")
    )
    def post(self, request):
        found = authority(request)
        data = self.CreateInput(data=request.data)
        data.is_valid(raise_exception=True)
        account = admin.create_staff(
            actor=request.user,
            username=data.validated_data["username"],
            full_name=data.validated_data["full_name"],
            email=data.validated_data["email"],
            password=data.validated_data.get("password") or None,
            grants=[data.grant(found)],
        )
        user = selectors.get_staff(found, account.user.pk)
        user.generated_password = account.generated_password
        return Response(self.CreatedOutput(user).data, status=status.HTTP_201_CREATED)


class StaffDetailAPI(APIView):
    @extend_schema(responses=StaffOutput, summary=_("工作人员详情"))
    def get(self, request, pk: int):
        return Response(StaffOutput(selectors.get_staff(authority(request), pk)).data)


class StaffActiveAPI(APIView):
    """POST …/deactivate/ or …/reactivate/: roles are kept; an inactive account sees nothing."""

    is_active = False

    @extend_schema(request=None, responses=StaffOutput, summary=_("停用或恢复工作人员账号"))
    def post(self, request, pk: int):
        found = authority(request)
        user = selectors.get_staff(found, pk)
        admin.set_staff_active(actor=request.user, user=user, is_active=self.is_active)
        return Response(StaffOutput(selectors.get_staff(found, pk)).data)


class StaffReactivateAPI(StaffActiveAPI):
    is_active = True


class StaffRoleGrantAPI(APIView):
    @extend_schema(request=GrantInput, responses={201: RoleOutput}, summary=_("分配角色"))
    def post(self, request, pk: int):
        found = authority(request)
        user = selectors.get_staff(found, pk)
        data = GrantInput(data=request.data)
        data.is_valid(raise_exception=True)
        assignment = admin.grant_role(actor=request.user, user=user, grant=data.grant(found))
        return Response(RoleOutput(assignment).data, status=status.HTTP_201_CREATED)


class RoleRevokeAPI(APIView):
    @extend_schema(responses={204: None}, summary=_("撤销角色"))
    def delete(self, request, pk: int):
        assignment = selectors.get_role_assignment(authority(request), pk)
        admin.revoke_role(actor=request.user, assignment=assignment)
        return Response(status=status.HTTP_204_NO_CONTENT)


class OrganisationOutput(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    kind = serializers.CharField()
    credit_code = serializers.CharField()
    department = serializers.CharField()


class OrganisationsAPI(APIView):
    class RegisterInput(serializers.Serializer):
        name = serializers.CharField(max_length=120)
        kind = serializers.ChoiceField(choices=Organisation.Kind.choices)
        credit_code = serializers.CharField(
            max_length=18, required=False, allow_blank=True, default=""
        )
        department = serializers.CharField(
            max_length=60, required=False, allow_blank=True, default=""
        )

    @extend_schema(responses=OrganisationOutput(many=True), summary=_("机构列表"))
    def get(self, request):
        organisations = selectors.organisation_list(authority=authority(request))
        return Response(OrganisationOutput(organisations, many=True).data)

    @extend_schema(
        request=RegisterInput, responses={201: OrganisationOutput}, summary=_("登记机构")
    )
    def post(self, request):
        authority(request)
        data = self.RegisterInput(data=request.data)
        data.is_valid(raise_exception=True)
        organisation = admin.register_organisation(actor=request.user, **data.validated_data)
        return Response(OrganisationOutput(organisation).data, status=status.HTTP_201_CREATED)


class AssignmentOutput(serializers.Serializer):
    id = serializers.IntegerField()
    compound = serializers.CharField(source="compound.code")
    organisation = serializers.IntegerField(source="organisation_id")
    organisation_name = serializers.CharField(source="organisation.name")
    assigned_at = serializers.DateTimeField()


class AssignmentsAPI(APIView):
    class AssignInput(serializers.Serializer):
        compound = serializers.CharField(max_length=24)
        organisation = serializers.IntegerField()

    @extend_schema(responses=AssignmentOutput(many=True), summary=_("小区委托列表（本辖区）"))
    def get(self, request):
        assignments = selectors.assignment_list(authority=authority(request))
        return Response(AssignmentOutput(assignments, many=True).data)

    @extend_schema(
        request=AssignInput, responses={201: AssignmentOutput}, summary=_("委托机构到小区")
    )
    def post(self, request):
        found = authority(request)
        data = self.AssignInput(data=request.data)
        data.is_valid(raise_exception=True)
        compound = selectors.get_assignable_compound(found, data.validated_data["compound"])
        organisation = selectors.get_organisation(found, data.validated_data["organisation"])
        assignment = admin.assign_organisation(
            actor=request.user, organisation=organisation, compound=compound
        )
        return Response(AssignmentOutput(assignment).data, status=status.HTTP_201_CREATED)


class AssignmentRemoveAPI(APIView):
    @extend_schema(responses={204: None}, summary=_("撤销小区委托"))
    def delete(self, request, pk: int):
        assignment = selectors.get_assignment(authority(request), pk)
        admin.unassign_organisation(actor=request.user, assignment=assignment)
        return Response(status=status.HTTP_204_NO_CONTENT)


class OnboardAPI(APIView):
    parser_classes = [MultiPartParser, FormParser]

    class OnboardInput(serializers.Serializer):
        file = serializers.FileField(help_text=_(".xlsx（机构、人员、委托工作表）"))
        dry_run = serializers.BooleanField(required=False, default=False)

    class OnboardOutput(serializers.Serializer):
        dry_run = serializers.BooleanField()
        counts = serializers.DictField(child=serializers.IntegerField())
        generated_passwords = serializers.DictField(child=serializers.CharField())

    @extend_schema(
        request={"multipart/form-data": OnboardInput},
        responses={201: OnboardOutput},
        summary=_("批量导入人员和机构"),
    )
    def post(self, request):
        authority(request)
        data = self.OnboardInput(data=request.data)
        data.is_valid(raise_exception=True)
        upload = data.validated_data["file"]
        params = ImportParams(
            actor=request.user,
            scope=request.scope,
            filename=upload.name,
            dry_run=data.validated_data["dry_run"],
            max_rows=5000,
        )
        importer = OnboardingImporter()
        report = importer.run(upload, params)
        body = {
            "dry_run": params.dry_run,
            "counts": report.counts,
            "generated_passwords": importer.passwords,
        }
        answer = status.HTTP_200_OK if params.dry_run else status.HTTP_201_CREATED
        return Response(self.OnboardOutput(body).data, status=answer)
