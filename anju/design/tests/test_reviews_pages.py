"""The review partial on the project page, its forms, and a reviewer's page of pending
decisions; another district's records answer 404 and change nothing."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from anju.conftest import make_compound
from anju.core.calendar import today
from anju.core.models import AuditEvent
from anju.design.models import PermitStep, Review, ReviewDecision, ReviewerAssignment
from anju.territory.models import Stage

from .reviewing import assign, noticed_version, reviewer, submitted_review

pytestmark = pytest.mark.django_db


def project_page(client, project):
    return client.get(reverse("design:project-detail", kwargs={"pk": project.pk}))


def test_the_project_page_offers_the_submission_once_the_notice_is_cleared(
    client_as, jiangan_officer, jiangan_project
):
    version = noticed_version(jiangan_project, items=[("B14", "100", "150")])

    page = project_page(client_as(jiangan_officer), jiangan_project).content.decode()

    assert "联合审查与审批手续" in page
    assert reverse("design:review-submit", kwargs={"pk": version.pk}) in page
    assert 'name="confirm"' in page
    assert "自然资源和规划" in page  # the departments the plan touches


def test_the_project_page_names_what_keeps_the_plan_from_review(
    client_as, jiangan_officer, jiangan_project
):
    version = noticed_version(jiangan_project, objections=1)

    page = project_page(client_as(jiangan_officer), jiangan_project).content.decode()

    assert "尚有 1 条异议未答复" in page
    assert reverse("design:review-submit", kwargs={"pk": version.pk}) not in page


def test_submitting_needs_the_confirmation(client_as, jiangan_officer, jiangan_project):
    version = noticed_version(jiangan_project)
    client = client_as(jiangan_officer)
    url = reverse("design:review-submit", kwargs={"pk": version.pk})

    client.post(url)
    assert not Review.objects.exists()

    response = client.post(url, {"confirm": "1"}, follow=True)
    assert response.status_code == 200
    assert Review.objects.get().version == version
    page = response.content.decode()
    assert "已提交联合审查" in page
    assert "立项" in page and "建设工程规划许可" in page and "施工许可" in page


def test_a_refused_submission_comes_back_as_a_message(client_as, jiangan_officer, jiangan_project):
    version = noticed_version(jiangan_project, closes_in_days=3)

    response = client_as(jiangan_officer).post(
        reverse("design:review-submit", kwargs={"pk": version.pk}), {"confirm": "1"}, follow=True
    )

    assert "尚未届满" in response.content.decode()
    assert not Review.objects.exists()


def test_the_district_assigns_reviewers_and_records_permits_from_the_page(
    client_as, city, jiangan_officer, jiangan_project
):
    version = noticed_version(jiangan_project)
    planning = reviewer("planning-reviewer", city.jiangan)
    reviewer("fire-reviewer", city.jiangan)
    client = client_as(jiangan_officer)
    assign_url = reverse("design:review-assign", kwargs={"pk": jiangan_project.pk})

    refused = client.post(
        assign_url, {"department": "fire", "reviewer": "fire-reviewer"}, follow=True
    )
    assert "方案不涉及消防救援" in refused.content.decode()
    client.post(assign_url, {"department": "planning", "reviewer": "planning-reviewer"})
    assert ReviewerAssignment.objects.get().reviewer == planning

    client.post(reverse("design:review-submit", kwargs={"pk": version.pk}), {"confirm": "1"})
    client.post(
        reverse("design:review-permit", kwargs={"pk": jiangan_project.pk, "procedure": "approval"}),
        {"document_number": "江岸发改〔2027〕12号", "done_on": today().isoformat()},
    )
    step = PermitStep.objects.get(project=jiangan_project, procedure="approval")
    assert step.document_number == "江岸发改〔2027〕12号" and step.done_on == today()


def test_a_reviewer_approves_and_returns_from_their_own_page(
    client_as, city, jiangan_officer, jiangan_project
):
    version = noticed_version(jiangan_project, items=[("B14", "100", "150")])
    housing = reviewer("housing-reviewer", city.jiangan)
    assign(jiangan_project, "housing", housing)
    assign(jiangan_project, "planning", reviewer("planning-reviewer", city.jiangan))
    client_as(jiangan_officer).post(
        reverse("design:review-submit", kwargs={"pk": version.pk}), {"confirm": "1"}
    )
    review = Review.objects.get()
    client = client_as(housing)

    mine = client.get(reverse("design:review-mine")).content.decode()
    assert jiangan_project.name in mine
    assert reverse("design:review-decide", args=[review.pk, "housing"]) in mine
    assert reverse("design:review-decide", args=[review.pk, "planning"]) not in mine

    no_comment = client.post(
        reverse("design:review-decide", args=[review.pk, "housing"]),
        {"decision": "returned", "comments": ""},
        follow=True,
    )
    assert "退回修改须写明审查意见" in no_comment.content.decode()
    client.post(
        reverse("design:review-decide", args=[review.pk, "housing"]),
        {"decision": "returned", "comments": "楼道照明未纳入方案"},
    )

    jiangan_project.refresh_from_db()
    assert jiangan_project.stage == Stage.DESIGNED
    assert review.decisions.get(department__code="housing").decision == "returned"
    assert "目前没有等待您审查的方案" in client.get(reverse("design:review-mine")).content.decode()


def test_a_reviewer_posting_for_another_department_is_refused(
    client_as, city, jiangan_officer, jiangan_project
):
    version = noticed_version(jiangan_project, items=[("B14", "100", "150")])
    housing = reviewer("housing-reviewer", city.jiangan)
    assign(jiangan_project, "housing", housing)
    client_as(jiangan_officer).post(
        reverse("design:review-submit", kwargs={"pk": version.pk}), {"confirm": "1"}
    )
    review = Review.objects.get()

    response = client_as(housing).post(
        reverse("design:review-decide", args=[review.pk, "planning"]), {"decision": "approved"}
    )

    assert response.status_code == 403
    assert review.decisions.get(department__code="planning").decision == "pending"


def test_the_workbench_partial_links_reviewers_to_their_page(client_as, city, jiangan_project):
    noticed_version(jiangan_project)
    housing = reviewer("housing-reviewer", city.jiangan)

    page = project_page(client_as(housing), jiangan_project).content.decode()

    assert reverse("design:review-mine") in page
    assert 'name="confirm"' not in page, "only the district submits"


def test_another_districts_review_pages_answer_404_and_change_nothing(
    client_as, city, wuchang_officer, jiangan_officer, jiangan_project
):
    version = noticed_version(jiangan_project)
    client_as(jiangan_officer).post(
        reverse("design:review-submit", kwargs={"pk": version.pk}), {"confirm": "1"}
    )
    review = Review.objects.get()
    events_before = AuditEvent.objects.count()
    wuchang = client_as(wuchang_officer)
    posts = [
        (reverse("design:review-submit", args=[version.pk]), {"confirm": "1"}),
        (reverse("design:review-decide", args=[review.pk, "housing"]), {"decision": "approved"}),
        (
            reverse("design:review-assign", args=[jiangan_project.pk]),
            {"department": "housing", "reviewer": "x"},
        ),
        (
            reverse("design:review-permit", args=[jiangan_project.pk, "approval"]),
            {"document_number": "1", "done_on": (today() - dt.timedelta(days=1)).isoformat()},
        ),
    ]
    for url, data in posts:
        assert wuchang.post(url, data).status_code == 404, url
    assert AuditEvent.objects.count() == events_before
    assert set(ReviewDecision.objects.values_list("decision", flat=True)) == {"pending"}
    assert not PermitStep.objects.filter(document_number="1").exists()


def test_a_reviewers_page_leaves_out_projects_outside_their_territory(client_as, city):
    jiangan_review = submitted_review(city.jiangan, city.jiangan_compound)
    wuchang_review = submitted_review(city.wuchang, city.wuchang_compound)
    housing = reviewer("housing-reviewer", city.jiangan)
    for review in (jiangan_review, wuchang_review):
        # the assignment service would refuse the 武昌 one; made directly to prove the page
        assign(review.version.project, "housing", housing)

    page = client_as(housing).get(reverse("design:review-mine")).content.decode()

    assert city.jiangan_compound.name in page
    assert city.wuchang_compound.name not in page


def test_a_reviewers_page_costs_the_same_queries_for_more_reviews(client_as, city):
    housing = reviewer("housing-reviewer", city.jiangan)
    client = client_as(housing)
    counts = []
    for index in range(3):
        compound = make_compound(
            city.jiangan_community,
            f"4201020010010{index + 10}",
            f"小区{index}",
            lon=114.3,
            lat=30.6,
        )
        review = submitted_review(city.jiangan, compound, code=f"2027-420102-Q{index}")
        assign(review.version.project, "housing", housing)
        with CaptureQueriesContext(connection) as queries:
            page = client.get(reverse("design:review-mine")).content.decode()
        assert page.count("提交审查意见") == index + 1
        counts.append(len(queries))
    assert counts[0] == counts[2], counts


def test_an_approved_plan_offers_no_reviewer_assignment(client_as, city, jiangan_officer):
    """After the approval the form to assign reviewers was still offered."""
    review = submitted_review(city.jiangan, city.jiangan_compound)
    project = review.version.project
    assign_url = reverse("design:review-assign", kwargs={"pk": project.pk})
    client = client_as(jiangan_officer)
    assert assign_url in project_page(client, project).content.decode()

    Review.objects.filter(pk=review.pk).update(status=Review.Status.APPROVED)

    assert assign_url not in project_page(client, project).content.decode()
