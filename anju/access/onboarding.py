"""Onboarding a city's people and companies from one workbook (`anju onboard FILE.xlsx`, the
upload page under 管理, and the API all run `OnboardingImporter`).

Three sheets, any may be absent: 机构 (organisations to register), 人员 (staff accounts, one row
per role: a person with two roles has two rows with the same 用户名) and 委托 (organisations
assigned to compounds). All or nothing: every problem is reported with its sheet, row and
column, and one problem rejects the whole file (`anju.core.importing`).

The rules are the administration services' (`anju.access.administration`, `anju.access.rules`):
nobody grants more than their own scope, so a district office's file may only bind roles to
nodes inside its district and assign its district's compounds; only the city office registers
organisations and creates company staff. Unknown node or compound codes and codes outside the
importer's territory get the same message. A 用户名 or 机构名称 already in the system is a
problem (the file creates; the workbench changes). A blank 初始密码 means "generate one": the
generated passwords are returned once in the report (`OnboardingImporter.passwords`), never
stored in clear.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from anju.core import excel
from anju.core.errors import DomainError, NotFound
from anju.core.importing import (
    Column,
    Importer,
    ImportParams,
    ImportReport,
    SheetData,
    SheetSpec,
    choice,
    choice_labels,
    identifier,
    model_validators,
    text,
    write_instructions,
)
from anju.core.progress import Progress
from anju.territory.models import Compound, Node
from anju.territory.paths import common_path

from . import administration, events, rules, selectors
from .models import TERRITORIAL_ROLES, Organisation, Role

ORGANISATIONS = "机构"
STAFF = "人员"
ASSIGNMENTS = "委托"
SAME_MESSAGE = gettext_lazy("找不到编码“%(code)s”，或它不在您的辖区内。")

ORGANISATION_SHEET = SheetSpec(
    name=ORGANISATIONS,
    help=gettext_lazy("每行一个机构（设计、施工、监理、专营单位、物业企业或政府部门）。"),
    columns=(
        Column("机构名称", "name", text(120), required=True, width=30, example="江城设计研究院",
               help=gettext_lazy("机构全称，全市唯一。")),
        Column("机构类型", "kind", choice(Organisation.Kind), required=True, width=12,
               example="设计单位", choices=tuple(choice_labels(Organisation.Kind)),
               help=gettext_lazy("可选：政府部门、审查部门、设计单位、施工单位、监理单位、专营单位、物业企业。")),
        Column("统一社会信用代码", "credit_code", identifier(18), width=22, is_text=True,
               example="91420102100000091G",
               validators=model_validators(Organisation, "credit_code"),
               help=gettext_lazy("18位统一社会信用代码（GB 32100），文本格式；政府部门可留空。")),
        Column("所属部门", "department", text(60), width=16, example="",
               help=gettext_lazy("审查部门填写所属的行政部门，如“市自然资源和规划局”。")),
    ),
)  # fmt: skip

STAFF_SHEET = SheetSpec(
    name=STAFF,
    help=gettext_lazy("每行一个角色；同一人有多个角色时写多行，用户名相同。"),
    columns=(
        Column("用户名", "username", identifier(150, pattern=r"[\w.@+-]+"), required=True,
               width=16, is_text=True, example="jiangan-zhang",
               help=gettext_lazy("登录用的用户名：字母、数字和 . @ + - _，全市唯一。")),
        Column("姓名", "full_name", text(150), required=True, width=12, example="张三",
               help=gettext_lazy("工作人员的姓名。")),
        Column("角色", "role", choice(Role), required=True, width=14, example="区工作专班",
               choices=tuple(choice_labels(Role)),
               help=gettext_lazy("市改造办、区工作专班、街道办、社区工作者、部门审查人绑定辖区；"
                                 "设计、施工、监理、专营单位和物业企业的人员属于机构。")),
        Column("辖区代码", "node", identifier(20), width=14, is_text=True, example="420102",
               help=gettext_lazy("角色所绑定区划的代码（市、区、街道或社区），文本格式；"
                                 "须在您的辖区内。企业人员留空。")),
        Column("所属机构", "organisation", text(120), width=24, example="",
               help=gettext_lazy("企业人员所属机构的名称，须在本文件“机构”表中或系统中已有。")),
        Column("邮箱", "email", text(254), width=22, example="",
               help=gettext_lazy("可留空。")),
        Column("初始密码", "password", text(128), width=16, is_text=True, example="",
               help=gettext_lazy("留空由系统生成，导入后只显示一次，请当面或当场转交本人。")),
    ),
)  # fmt: skip

ASSIGNMENT_SHEET = SheetSpec(
    name=ASSIGNMENTS,
    help=gettext_lazy("每行把一个机构委托到一个小区。"),
    columns=(
        Column("小区编码", "compound", identifier(24), required=True, width=18, is_text=True,
               example="420102001001001", help=gettext_lazy("须在您的辖区内。")),
        Column("机构名称", "organisation", text(120), required=True, width=30,
               example="江城设计研究院",
               help=gettext_lazy("须在本文件“机构”表中或系统中已有；政府部门和审查部门不能委托。")),
    ),
)  # fmt: skip

SHEETS = (ORGANISATION_SHEET, STAFF_SHEET, ASSIGNMENT_SHEET)

COUNT_LABELS = {
    "organisations_created": gettext_lazy("新登记机构"),
    "staff_created": gettext_lazy("新建账号"),
    "roles_assigned": gettext_lazy("分配角色"),
    "compounds_assigned": gettext_lazy("小区委托"),
}


def labelled_counts(counts: dict) -> list[tuple[str, int]]:
    return [(str(label), counts.get(name, 0)) for name, label in COUNT_LABELS.items()]


@dataclass
class Person:
    username: str
    full_name: str
    email: str
    password: str | None
    grants: list[tuple[str, Node | None, str]] = field(default_factory=list)


@dataclass
class OnboardingPlan:
    organisations: list[dict] = field(default_factory=list)
    people: list[Person] = field(default_factory=list)
    assignments: list[tuple[Compound, str]] = field(default_factory=list)
    known_organisations: dict[str, Organisation] = field(default_factory=dict)


class OnboardingImporter(Importer):
    sheets = SHEETS
    audit_verb = "access.onboarded"

    def __init__(self):
        self.passwords: dict[str, str] = {}

    def authorise(self, params: ImportParams) -> None:
        administration.require_administrator(rules.authority_of(params.actor))

    def validate(
        self,
        tables: dict[str, SheetData],
        params: ImportParams,
        report: ImportReport,
        progress: Progress,
    ) -> OnboardingPlan:
        authority = rules.authority_of(params.actor)
        plan = OnboardingPlan()
        if not any(data.rows for data in tables.values()):
            report.add(next(iter(tables), ORGANISATIONS), None, _("文件中没有数据行。"))
            return plan
        in_file = self.validate_organisations(tables, authority, report, plan)
        names = {row.get("organisation") for name in (STAFF, ASSIGNMENTS) if name in tables
                 for row in tables[name].rows if row.has("organisation")}  # fmt: skip
        for organisation in Organisation.objects.filter(name__in=names):
            plan.known_organisations[organisation.name] = organisation
        plan.known_organisations.update(in_file)
        self.validate_staff(tables, authority, report, plan)
        self.validate_assignments(tables, authority, report, plan)
        return plan

    def validate_organisations(self, tables, authority, report, plan) -> dict:
        rows = tables[ORGANISATIONS].rows if ORGANISATIONS in tables else []
        if rows and not rules.may_register_organisations(authority):
            for row in rows:
                report.reject(row, "name", _("只有市改造办可以登记机构。"))
            return {}
        existing = set(
            Organisation.objects.filter(name__in=[r.get("name") for r in rows]).values_list(
                "name", flat=True
            )
        )
        codes = [r.get("credit_code") for r in rows if r.get("credit_code")]
        used_codes = set(
            Organisation.objects.filter(credit_code__in=codes).values_list("credit_code", flat=True)
        )
        seen_names, seen_codes, in_file = set(), set(), {}
        for row in rows:
            if not row.ok:
                continue
            name, code = row.get("name"), (row.get("credit_code") or "").upper()
            if name in existing or name in seen_names:
                report.reject(row, "name", _("机构“%(name)s”已存在。") % {"name": name})
                continue
            if code and (code in used_codes or code in seen_codes):
                report.reject(row, "credit_code", _("该统一社会信用代码已被其他机构使用。"))
                continue
            seen_names.add(name)
            if code:
                seen_codes.add(code)
            values = {
                "name": name,
                "kind": row.get("kind"),
                "credit_code": code,
                "department": row.get("department") or "",
            }
            plan.organisations.append(values)
            in_file[name] = Organisation(**values)
        return in_file

    def validate_staff(self, tables, authority, report, plan) -> None:
        rows = tables[STAFF].rows if STAFF in tables else []
        usernames = {row.get("username") for row in rows if row.has("username")}
        taken = {
            u.lower()
            for u in get_user_model()
            .objects.filter(username__in=usernames)
            .values_list("username", flat=True)
        }
        codes = {row.get("node") for row in rows if row.has("node")}
        nodes = {
            node.code: node
            for node in selectors.grantable_nodes(authority=authority).filter(code__in=codes)
        }
        people: dict[str, Person] = {}
        for row in rows:
            if not row.ok:
                continue
            username = row.get("username")
            if username.lower() in taken:
                report.reject(row, "username", _("用户名“%(username)s”已被使用。") % {
                    "username": username})  # fmt: skip
                continue
            person = people.get(username.lower())
            if person is None:
                person = Person(username, row.get("full_name"), row.get("email") or "",
                                row.get("password") or None)  # fmt: skip
                if person.password:
                    try:
                        candidate = get_user_model()(username=username, first_name=person.full_name)
                        administration.check_password(person.password, candidate)
                    except DomainError as error:
                        report.reject(row, "password", error.message)
                        continue
            elif person.full_name != row.get("full_name"):
                report.reject(row, "full_name", _("同一用户名的姓名应一致。"))
                continue
            role = row.get("role")
            node, organisation_name = None, row.get("organisation") or ""
            if role in TERRITORIAL_ROLES:
                code = row.get("node")
                if not code:
                    report.reject(row, "node", _("该角色必须绑定辖区。"))
                    continue
                node = nodes.get(code)
                if node is None:
                    report.reject(row, "node", SAME_MESSAGE % {"code": code})
                    continue
            elif not organisation_name:
                report.reject(row, "organisation", _("该角色必须属于一个机构。"))
                continue
            organisation = plan.known_organisations.get(organisation_name)
            if organisation_name and organisation is None:
                report.reject(row, "organisation", _("找不到机构“%(name)s”。") % {
                    "name": organisation_name})  # fmt: skip
                continue
            try:
                administration.check_grant(
                    authority, administration.RoleGrant(role, node, organisation)
                )
            except NotFound:
                report.reject(row, "node", SAME_MESSAGE % {"code": row.get("node")})
                continue
            except DomainError as error:
                key = "node" if role in TERRITORIAL_ROLES else "role"
                report.reject(row, key, error.message)
                continue
            if any(g[0] == role and g[1] == node for g in person.grants):
                report.reject(row, "role", _("同一人的这个角色重复了。"))
                continue
            person.grants.append((role, node, organisation_name))
            if username.lower() not in people:
                people[username.lower()] = person
        plan.people = [p for p in people.values() if p.grants]

    def validate_assignments(self, tables, authority, report, plan) -> None:
        rows = tables[ASSIGNMENTS].rows if ASSIGNMENTS in tables else []
        codes = {row.get("compound") for row in rows if row.has("compound")}
        compounds = {c.code: c for c in Compound.objects.filter(code__in=codes)}
        seen = set()
        for row in rows:
            if not row.ok:
                continue
            compound = compounds.get(row.get("compound"))
            if compound is None or not rules.may_assign_compound(authority, compound):
                report.reject(row, "compound", SAME_MESSAGE % {"code": row.get("compound")})
                continue
            name = row.get("organisation")
            organisation = plan.known_organisations.get(name)
            if organisation is None:
                report.reject(row, "organisation", _("找不到机构“%(name)s”。") % {"name": name})
                continue
            if organisation.kind not in rules.ASSIGNABLE_KINDS:
                report.reject(row, "organisation", _("%(kind)s不能委托到小区。") % {
                    "kind": organisation.get_kind_display()})  # fmt: skip
                continue
            key = (compound.pk, name)
            already = (
                organisation.pk
                and organisation.compound_assignments.filter(compound=compound).exists()
            )
            if key in seen or already:
                report.reject(row, "organisation", _("该机构已委托到这个小区。"))
                continue
            seen.add(key)
            plan.assignments.append((compound, name))

    def write(self, plan: OnboardingPlan, params: ImportParams, report: ImportReport, progress):
        for name in COUNT_LABELS:
            report.counts.setdefault(name, 0)
        authority = rules.authority_of(params.actor)
        actor = params.actor
        organisations = dict(plan.known_organisations)
        for values in plan.organisations:
            organisations[values["name"]] = administration._register_organisation(
                actor=actor, authority=authority, **values
            )
            report.count("organisations_created")
        paths = []
        for person in plan.people:
            grants = [
                administration.RoleGrant(role, node, organisations.get(name) if name else None)
                for role, node, name in person.grants
            ]
            account = administration._create_staff(
                actor=actor,
                authority=authority,
                username=person.username,
                full_name=person.full_name,
                email=person.email,
                password=person.password,
                grants=grants,
            )
            if account.generated_password:
                self.passwords[person.username] = account.generated_password
            paths += [g.node.path for g in grants if g.node is not None]
            report.count("staff_created")
            report.count("roles_assigned", len(grants))
        for compound, name in plan.assignments:
            administration._assign_organisation(
                actor=actor, authority=authority, organisation=organisations[name],
                compound=compound,
            )  # fmt: skip
            paths.append(compound.path)
            report.count("compounds_assigned")
        report.territory_path = common_path(paths) if paths else ""

    def record(self, params: ImportParams, report: ImportReport) -> None:
        events.onboarded(
            actor=params.actor,
            territory_path=report.territory_path,
            filename=params.filename,
            counts={**report.counts, "rows": report.rows},
        )


def instructions() -> list[str]:
    return [
        _("一个文件可以包含“机构”“人员”“委托”三个工作表，也可以只包含其中一部分。"
          "机构先于人员和委托导入，所以人员和委托可以引用本文件中新登记的机构。"),
        _("“人员”表每行一个角色：同一人有多个角色时写多行，用户名和姓名相同。"
          "市改造办、区工作专班、街道办、社区工作者和部门审查人须填写辖区代码；"
          "设计、施工、监理、专营单位和物业企业的人员须填写所属机构。"),
        _("权限不能超出您自己的范围：区工作专班只能为本区内的区划分配角色、委托本区的小区，"
          "不能分配市改造办角色；登记机构和创建企业人员账号由市改造办办理。"),
        _("用户名和机构名称已存在时，该行会被拒绝：本文件只用于新建，修改请在工作台“管理”中进行。"),
        _("初始密码留空由系统生成，导入完成后只显示一次，请及时转交本人并提醒其修改。"),
        _("文件中只要有一处问题，整个文件都不会导入。系统会列出每个问题所在的工作表、行和列，"
          "并提供标注了问题单元格的文件供修改。"),
        _("编号类的列（统一社会信用代码、辖区代码、小区编码）必须是文本格式。"
          "每个工作表的第一行是列名，请勿修改；第二行是示例，填写前请删除。"),
    ]  # fmt: skip


def onboarding_template() -> bytes:
    """The blank workbook: 填写说明, then 机构 / 人员 / 委托 with one example row each."""

    def build(workbook):
        formats = excel.Formats(workbook)
        guide = write_instructions(
            workbook,
            formats,
            title=_("人员和机构导入模板 · 填写说明"),
            paragraphs=instructions(),
            specs=SHEETS,
        )
        for spec in SHEETS:
            example = [column.example for column in spec.columns]
            excel.write_table(
                workbook, spec.name, spec.table_columns(), [example], formats=formats,
                choice_rows=2000,
            )  # fmt: skip
        guide.activate()

    return excel.workbook_bytes(build)
