"""A client_token makes intake idempotent, and the database (not a lookup) enforces it."""

import threading
import time

import pytest
from django.db import connection, transaction
from rest_framework.test import APIClient

from cases.intake import submit
from cases.models import Case, CaseEvent

from .helpers import post_case


def test_it_returns_the_same_case_with_200_for_a_retry(api, owner_area):
    first = post_case(api, client_token="c0ffee-1", area=owner_area.adcode)
    retry = post_case(api, client_token="c0ffee-1", area=owner_area.adcode)

    assert (first.status_code, retry.status_code) == (201, 200)
    assert retry.json() == first.json()
    assert Case.objects.count() == 1 and CaseEvent.objects.count() == 2  # created, assigned


def test_it_makes_separate_cases_for_different_tokens_and_for_none(api, owner_area):
    where = owner_area.adcode
    references = {
        post_case(api, client_token="a", area=where).json()["reference"],
        post_case(api, client_token="b", area=where).json()["reference"],
        post_case(api, area=where).json()["reference"],
        post_case(api, area=where).json()["reference"],
    }

    assert len(references) == 4 == Case.objects.count()


@pytest.mark.django_db(transaction=True)
def test_it_makes_one_case_for_concurrent_submissions_with_one_token(owner_area):
    """Eight clients submit the same token at the same moment over HTTP."""
    barrier = threading.Barrier(8)
    responses = []

    def submit_once():
        try:
            barrier.wait()
            responses.append(post_case(
                APIClient(), client_token="same-moment", area=owner_area.adcode
            ))
        finally:
            connection.close()

    threads = [threading.Thread(target=submit_once) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(r.status_code for r in responses) == [200] * 7 + [201]
    assert len({r.json()["reference"] for r in responses}) == 1
    assert Case.objects.filter(client_token="same-moment").count() == 1
    assert CaseEvent.objects.count() == 2  # only the winner's creation and assignment


@pytest.mark.django_db(transaction=True)
def test_the_constraint_decides_when_the_first_submission_has_not_committed_yet(owner_area):
    """The second INSERT waits on the unique index for the first transaction, then loses to it:
    no lookup could have seen the first case, only the constraint can."""
    inserted, release = threading.Event(), threading.Event()
    results = {}

    def first():
        try:
            with transaction.atomic():
                results["first"] = submit(
                    category="other", description="一", channel="online", client_token="race",
                    area=owner_area,
                )
                inserted.set()
                release.wait(timeout=10)
        finally:
            connection.close()

    def second():
        try:
            results["second"] = submit(
                category="other", description="一", channel="online", client_token="race",
                area=owner_area,
            )
        finally:
            connection.close()

    t1 = threading.Thread(target=first)
    t1.start()
    assert inserted.wait(timeout=10)
    t2 = threading.Thread(target=second)
    t2.start()
    time.sleep(0.5)  # let the second INSERT reach the lock on the index entry
    assert t2.is_alive(), "the second submission should be waiting for the first to commit"
    release.set()
    t1.join(timeout=10)
    t2.join(timeout=10)

    (first_case, first_created), (second_case, second_created) = results["first"], results["second"]
    assert (first_created, second_created) == (True, False)
    assert second_case.pk == first_case.pk
    assert Case.objects.count() == 1
