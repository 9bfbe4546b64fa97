"""`anju onboard`: a new city's first account, and bulk onboarding of people and companies.

    anju onboard --first-admin USERNAME --city-code 4201   # the first 市改造办 account
    anju onboard --template onboarding.xlsx                 # the blank workbook with 填写说明
    anju onboard FILE.xlsx [--dry-run] [--annotated PATH]   # 机构 / 人员 / 委托 sheets

A city starting from `anju migrate` (no demo) imports its territory, creates its first
city-office account here (the password is generated and printed once, or read from the
ANJU_FIRST_ADMIN_PASSWORD environment variable), signs in, and onboards its districts' staff
and companies from the workbench (管理) or from one workbook with this command. The file runs
through the same importer as the upload page, as the CLI actor with the whole city's
authority; problems are printed one a line and nothing is written unless the file is clean.
"""

import os
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from anju.core.actors import CLI
from anju.core.errors import DomainError
from anju.core.importing import ImportParams, cli_city_scope, import_from_cli

from ... import administration
from ...onboarding import OnboardingImporter, labelled_counts, onboarding_template


class Command(BaseCommand):
    @property
    def help(self) -> str:
        return _(
            "导入人员和机构（.xlsx：机构、人员、委托工作表）。新城市先用 --first-admin 用户名 "
            "--city-code 市级区划代码 创建第一个市改造办账号（密码只显示一次，或取自环境变量 "
            "ANJU_FIRST_ADMIN_PASSWORD），再登录工作台“管理”或用本命令导入。--template 路径："
            "写出空白模板。"
        )

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", help=_(".xlsx 文件的路径"))
        parser.add_argument("--first-admin", metavar="USERNAME", help=_("创建第一个市改造办账号"))
        parser.add_argument(
            "--city-code",
            default=settings.ANJU_CITY_CODE,
            help=_("市级区划代码（默认取 ANJU_CITY_CODE）"),
        )
        parser.add_argument("--template", metavar="PATH", help=_("把空白导入模板写到此路径"))
        parser.add_argument("--dry-run", action="store_true", help=_("只检查，不写入"))
        parser.add_argument(
            "--annotated",
            metavar="PATH",
            help=_("文件被拒绝时，把标注了问题单元格的副本写到此路径"),
        )
        parser.add_argument("--quiet", action="store_true", help=_("不显示进度"))

    def handle(self, *args, file=None, first_admin=None, city_code=None, template=None, **options):
        if first_admin:
            return self.first_admin(first_admin, city_code)
        if template:
            Path(template).write_bytes(onboarding_template())
            self.stdout.write(_("已写出模板：%(path)s") % {"path": template})
            return None
        if not file:
            raise CommandError(_("请给出 .xlsx 文件，或使用 --first-admin / --template。"))
        return self.onboard(Path(file), **options)

    def first_admin(self, username: str, city_code: str) -> None:
        password = os.environ.get("ANJU_FIRST_ADMIN_PASSWORD") or None
        try:
            account = administration.create_first_admin(
                actor=CLI, username=username, city_code=city_code, password=password
            )
        except DomainError as exc:
            raise CommandError(str(exc.message)) from None
        self.stdout.write(
            _("已创建市改造办账号：%(username)s") % {"username": account.user.get_username()}
        )
        if account.generated_password:
            self.stdout.write(
                _("初始密码（只显示这一次）：%(password)s")
                % {"password": account.generated_password}
            )

    def onboard(self, path: Path, *, dry_run=False, annotated=None, quiet=False, **options):
        if not path.is_file():
            raise CommandError(_("找不到文件：%(path)s") % {"path": path})
        params = ImportParams(
            actor=CLI, scope=cli_city_scope(), filename=path.name, dry_run=dry_run
        )
        importer = OnboardingImporter()
        report = import_from_cli(self, importer, path, params, annotated=annotated, quiet=quiet)
        if dry_run:
            self.stdout.write(_("检查通过，未写入任何数据。"))
            return
        for label, count in labelled_counts(report.counts):
            self.stdout.write(f"{label}：{count}")
        if importer.passwords:
            self.stdout.write(_("生成的初始密码（只显示这一次）："))
            for username, password in sorted(importer.passwords.items()):
                self.stdout.write(f"{username}\t{password}")
