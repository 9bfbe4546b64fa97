"""Builders for the survey tests: a phone photo carrying EXIF, a finding recorded as a persona,
a firm that works elsewhere, and (for the scope coverage outside design) a project of an
approved 2027 plan in a district with a finding and one photo recorded by its staff."""

from __future__ import annotations

import io
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, Image

from anju.access.models import CompoundAssignment, Organisation
from anju.access.scope import scope_for
from anju.catalogue.models import ChecklistItem
from anju.core.actors import CLI
from anju.core.scope import Scope
from anju.design.models import SurveyFinding
from anju.design.services.surveys import record_finding
from anju.planning.models import AnnualPlan, AnnualPlanStatus, FiveYearPlan, Project


def phone_photo(name="wall.jpg") -> SimpleUploadedFile:
    """A JPEG as a phone takes it: camera model and the GPS position of the flat."""
    exif = Image.Exif()
    exif[ExifTags.Base.Model] = "SecretPhone 9"
    exif.get_ifd(ExifTags.IFD.GPSInfo).update({1: "N", 2: (30.0, 35.0, 12.0)})
    buffer = io.BytesIO()
    Image.new("RGB", (40, 20), (200, 30, 30)).save(buffer, format="JPEG", exif=exif)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def record(user, project, compound, **kwargs):
    """A finding recorded by `user` with their own scope (a major hazard by default)."""
    kwargs.setdefault("checklist_item", ChecklistItem.objects.get(code="W2"))
    kwargs.setdefault("severity", "major")
    return record_finding(
        actor=user, scope=scope_for(user), project=project, compound=compound, **kwargs
    )


def working_elsewhere(builder, city):
    """The construction firm persona, assigned to 武昌's compound only (a scope, not ours)."""
    CompoundAssignment.objects.create(
        organisation=Organisation.objects.get(name="某建设公司"), compound=city.wuchang_compound
    )
    return builder


def jpeg(name="photo.jpg") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (16, 12), (120, 120, 120)).save(buffer, format="JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def survey_project_in(district, compound) -> Project:
    """A project for the compound in an approved 2027 plan (made once per district)."""
    five, _ = FiveYearPlan.objects.get_or_create(
        name="十五五", defaults={"start_year": 2026, "end_year": 2030, "node": district.parent}
    )
    annual, _ = AnnualPlan.objects.get_or_create(
        five_year_plan=five, year=2027, defaults={"status": AnnualPlanStatus.APPROVED}
    )
    project, created = Project.objects.get_or_create(
        code=f"2027-{district.code}-S01",
        defaults={
            "annual_plan": annual,
            "name": compound.name,
            "district": district,
            "estimated_cost": Decimal("1000000"),
        },
    )
    if created:
        project.compounds.add(compound)
    return project


def finding_in(district, compound) -> SurveyFinding:
    """A major hazard with one photo, recorded by the district's task force."""
    return record_finding(
        actor=CLI,
        scope=Scope(roles=frozenset({"district_task_force"}), node_paths=(district.path,)),
        project=survey_project_in(district, compound),
        compound=compound,
        checklist_item=ChecklistItem.objects.get(code="W2"),
        severity="major",
        photos=[jpeg()],
    )
