"""Many disbursements from one source at the same moment: the database serialises them on the
source account row, so the total paid out never exceeds what was received.

These run on PostgreSQL only (the `make test-postgres` pass, or
`scripts/with-postgres.sh .venv/bin/pytest anju/funding/tests/test_concurrency_ledger.py`):
SQLite takes one writer at a time, so it cannot show a race. Every test starts its threads
together on a `threading.Barrier`; each thread uses its own connection and closes it
(the pattern of anju/engagement/tests/test_concurrency.py).
"""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from django.db import connection

from anju.core.errors import DomainError
from anju.core.models import AuditEvent
from anju.funding.models import LedgerEntry, SourceAccount

from .ledgering import confirm_progress, confirmed_plan, post, source

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="races need PostgreSQL (row locks, concurrent writers); SQLite has one writer",
    ),
    pytest.mark.django_db(transaction=True),
]


DB_GATE = 150


def at_the_same_moment(count: int, work) -> tuple[list, list[BaseException]]:
    """Run work(i) for i in range(count) in `count` threads released together; each thread
    closes its own database connection. Returns (results, errors)."""
    barrier = threading.Barrier(count)
    gate = threading.BoundedSemaphore(DB_GATE)
    results, errors = [], []
    lock = threading.Lock()

    def thread(index):
        try:
            barrier.wait(timeout=60)
            with gate:
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


def test_40_simultaneous_disbursements_never_overspend_a_source(
    jiangan_funded_project, power_company
):
    project = jiangan_funded_project
    confirmed_plan(project, power_company)
    confirm_progress(project, "100")
    post(project, "receipt", "city_special", "10000.00")  # enough for 10 of 1,000.00

    def disburse(index):
        return post(project, "disbursement", "city_special", "1000.00", payee=f"施工单位{index}")

    paid, errors = at_the_same_moment(40, disburse)

    assert len(paid) == 10
    assert len(errors) == 30
    assert all(isinstance(e, DomainError) and e.code == "overspending_source" for e in errors)
    account = SourceAccount.objects.get(project=project, source=source("city_special"))
    assert account.disbursed == Decimal("10000.00") == account.received
    disbursed = LedgerEntry.objects.filter(project=project, kind="disbursement")
    assert disbursed.count() == 10
    assert AuditEvent.objects.filter(verb="ledger.posted").count() == 11


def test_simultaneous_first_postings_share_one_account(jiangan_funded_project, power_company):
    """The account row is created by whichever posting comes first; the others find it."""
    project = jiangan_funded_project
    confirmed_plan(project, power_company)

    def receive(index):
        return post(project, "receipt", "district_fiscal", "100.00")

    _received, errors = at_the_same_moment(20, receive)

    assert not errors, errors[:3]
    account = SourceAccount.objects.get(project=project, source=source("district_fiscal"))
    assert account.received == Decimal("2000.00")
    assert account.entries.count() == 20
