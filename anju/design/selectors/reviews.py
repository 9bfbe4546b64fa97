"""Joint reviews, departments' decisions, reviewers and permit steps as the viewer may see them.

Everything is reached through `projects_in_scope`, so another district's review answers the
same not-found as an absent one.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Q, QuerySet

from anju.access.models import RoleAssignment
from anju.catalogue.models import ReviewDepartment
from anju.core.errors import NotFound
from anju.core.scope import Scope
from anju.territory import paths

from ..models import PermitStep, PlanVersion, Review, ReviewDecision, ReviewerAssignment
from ..rules import DEPARTMENT_REVIEWER
from .projects import projects_in_scope


def review_departments_for(version: PlanVersion) -> QuerySet:
    """The departments a plan touches: every department named by the catalogue rules of its
    items (ItemRule.review_departments), and those consulted on every plan (housing)."""
    items = version.items.values("item_id")
    return (
        ReviewDepartment.objects.filter(Q(item_rules__item__in=items) | Q(is_always_consulted=True))
        .distinct()
        .order_by("position", "code")
    )


def reviews_in_scope(scope: Scope) -> QuerySet:
    return Review.objects.filter(version__project__in=projects_in_scope(scope)).select_related(
        "version", "version__project"
    )


def get_review(scope: Scope, pk) -> Review:
    review = reviews_in_scope(scope).filter(pk=pk).first()
    if review is None:
        raise NotFound()
    return review


def get_decision(review: Review, department_code: str) -> ReviewDecision:
    """The review's decision for a department; an unknown code or one the plan does not touch
    is not found."""
    decision = (
        review.decisions.select_related("department", "decided_by")
        .filter(department__code=department_code)
        .first()
    )
    if decision is None:
        raise NotFound()
    return decision


def latest_review(project) -> Review | None:
    """The project's current round of joint review (a returned plan's new version opens a new
    one), or None before the first submission."""
    return (
        Review.objects.filter(version__project=project)
        .select_related("version")
        .order_by("-opened_at", "-pk")
        .first()
    )


def decisions_with_reviewers(review: Review) -> list[ReviewDecision]:
    """The review's decisions in department order, each with `.reviewer` (the user assigned
    to that department on the project, or None)."""
    decisions = list(review.decisions.select_related("department", "decided_by"))
    reviewers = reviewer_map(review.version.project)
    for decision in decisions:
        decision.reviewer = reviewers.get(decision.department_id)
    return decisions


def reviewer_map(project) -> dict:
    """department id → the reviewer assigned on the project."""
    return {
        a.department_id: a.reviewer
        for a in ReviewerAssignment.objects.filter(project=project).select_related("reviewer")
    }


def reviewer_assignments(project) -> QuerySet:
    return ReviewerAssignment.objects.filter(project=project).select_related(
        "department", "reviewer"
    )


def permit_steps(project) -> QuerySet:
    return PermitStep.objects.filter(project=project).order_by("pk")


def current_version(project) -> PlanVersion | None:
    """The version whose departments a reviewer is assigned for: the newest one that is not
    superseded."""
    return (
        PlanVersion.objects.filter(project=project)
        .exclude(status=PlanVersion.Status.SUPERSEDED)
        .order_by("-number")
        .first()
    )


def reviewer_candidates(project) -> QuerySet:
    """Active users holding the department-reviewer role on a node that holds the project (its
    district, the city, or the street or community of one of its compounds)."""
    compound_paths = list(project.compounds.values_list("path", flat=True))
    node_paths = {p for path in compound_paths for p in paths.ancestor_paths(path)}
    node_paths |= set(paths.ancestor_paths(project.path))
    bindings = RoleAssignment.objects.filter(
        user=OuterRef("pk"), role=DEPARTMENT_REVIEWER, node__path__in=sorted(node_paths)
    )
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Exists(bindings))
        .order_by("username")
    )


def pending_decisions_for(scope: Scope, user) -> QuerySet:
    """The decisions waiting for this reviewer: open reviews, departments they are assigned to
    on the project, inside their territory."""
    assigned = ReviewerAssignment.objects.filter(
        project=OuterRef("review__version__project"),
        department=OuterRef("department"),
        reviewer=user,
    )
    return (
        ReviewDecision.objects.filter(
            decision=ReviewDecision.Decision.PENDING,
            review__status=Review.Status.OPEN,
            review__version__project__in=projects_in_scope(scope),
        )
        .filter(Exists(assigned))
        .select_related("department", "review", "review__version", "review__version__project")
        .order_by("review__opened_at", "department__position")
    )
