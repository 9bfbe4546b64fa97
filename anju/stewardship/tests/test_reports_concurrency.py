"""Many people at the same moment: report numbers never repeat, and two handlers taking the
same step at once apply it once.

PostgreSQL only (the `make test-postgres` pass, or
`scripts/with-postgres.sh .venv/bin/pytest anju/stewardship/tests/test_reports_concurrency.py`):
SQLite takes one writer at a time, so it cannot show a race. The threads start together on a
`threading.Barrier`; each uses its own connection and closes it.
"""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from anju.access.scope import scope_for, scope_for_household
from anju.core.errors import Conflict
from anju.stewardship.models import Channel, ProblemReport, ReportCategory, ReportStep, Status
from anju.stewardship.services import advance_report, file_report

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="races need PostgreSQL (row locks, concurrent writers); SQLite has one writer",
    ),
    pytest.mark.django_db(transaction=True),
]


def at_the_same_moment(count: int, work):
    barrier = threading.Barrier(count)
    results, errors = [], []
    lock = threading.Lock()

    def thread(index):
        try:
            barrier.wait(timeout=60)
            result = work(index)
            with lock:
                results.append(result)
        except BaseException as error:  # collected and reported by the test
            with lock:
                errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=thread, args=(i,)) for i in range(count)]
    for each in threads:
        each.start()
    for each in threads:
        each.join(timeout=300)
    assert not any(each.is_alive() for each in threads), "threads still running after 5 min"
    return results, errors


def file_one(household):
    return file_report(
        actor=None,
        scope=scope_for_household(household),
        compound=household.compound,
        category=ReportCategory.objects.get(code="clutter"),
        description="楼道堆放杂物",
        channel=Channel.PORTAL,
    )


def test_twenty_reports_filed_at_once_get_twenty_numbers_in_sequence(city, jiangan_household):
    reports, errors = at_the_same_moment(20, lambda _index: file_one(jiangan_household).number)
    assert not errors, errors[:3]
    assert sorted(int(number[-6:]) for number in reports) == list(range(1, 21))
    assert ProblemReport.objects.count() == 20


def test_two_handlers_accepting_at_once_accept_once(city, jiangan_household, property_staff):
    report = file_one(jiangan_household)
    scope = scope_for(property_staff)

    def accept(_index):
        advance_report(actor=property_staff, scope=scope, report=report, to_status=Status.ACCEPTED)
        return True

    accepted, errors = at_the_same_moment(10, accept)
    assert len(accepted) == 1
    assert len(errors) == 9 and all(isinstance(e, Conflict) for e in errors), errors[:3]
    assert ReportStep.objects.filter(report=report, to_status=Status.ACCEPTED).count() == 1
