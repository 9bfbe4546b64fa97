"""`anju import registry FILE`: import a registry workbook (.xlsx/.csv) from the command line.

Runs the same importer as the upload page and the API, synchronously, as the named CLI actor
with the whole city as scope. Problems are printed one a line ("小区 第3行 列C（社区编码）：…")
and the command exits non-zero; nothing is written unless the whole file is clean.
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from anju.core.actors import CLI
from anju.core.errors import DomainError
from anju.core.importing import ImportParams, ImportRejected
from anju.core.progress import StderrProgress
from anju.core.scope import Scope
from anju.territory.importers import RegistryImporter, labelled_counts

IMPORTERS = {"registry": RegistryImporter}


def city_scope() -> Scope:
    return Scope(
        roles=frozenset({"city_office"}),
        node_paths=(settings.ANJU_CITY_CODE + "/",),
        label="cli",
    )


class Command(BaseCommand):
    @property
    def help(self) -> str:
        return _("导入数据文件。registry：小区台账（小区、楼栋、住户），.xlsx 或 .csv。")

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=sorted(IMPORTERS), help=_("文件内容"))
        parser.add_argument("file", help=_(".xlsx 或 .csv 文件的路径"))
        parser.add_argument("--dry-run", action="store_true", help=_("只检查，不写入"))
        parser.add_argument(
            "--annotated",
            metavar="PATH",
            help=_("文件被拒绝时，把标注了问题单元格的副本写到此路径"),
        )
        parser.add_argument("--quiet", action="store_true", help=_("不显示进度"))

    def handle(self, *args, kind, file, dry_run=False, annotated=None, quiet=False, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(_("找不到文件：%(path)s") % {"path": file})
        params = ImportParams(actor=CLI, scope=city_scope(), filename=path.name, dry_run=dry_run)
        progress = None if quiet else StderrProgress()
        try:
            report = IMPORTERS[kind]().run(path, params, progress)
        except ImportRejected as exc:
            for problem in exc.problems:
                self.stderr.write(str(problem))
            if annotated:
                Path(annotated).write_bytes(exc.annotated_copy())
                self.stderr.write(_("已写出标注问题的文件：%(path)s") % {"path": annotated})
            raise CommandError(str(exc.message)) from None
        except DomainError as exc:
            raise CommandError(str(exc.message)) from None
        if dry_run:
            self.stdout.write(_("检查通过，未写入任何数据。"))
        for sheet, count in report.rows.items():
            self.stdout.write(_("%(sheet)s：%(count)d 行") % {"sheet": sheet, "count": count})
        if not dry_run:
            for label, count in labelled_counts(report.counts):
                self.stdout.write(f"{label}：{count}")
