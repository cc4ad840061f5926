"""The database holds the case vocabularies and invariants whichever path writes."""

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from cases.models import Case
from tests.factories import make_case


@pytest.mark.parametrize(
    ("changes", "constraint"),
    [
        ({"status": "archived"}, "case_status_known"),
        ({"category": "noise"}, "case_category_known"),
        ({"channel": "fax"}, "case_channel_known"),
        ({"rating": 6}, "case_rating_1_to_5"),
        ({"status": "resolved", "resolved_at": timezone.now(), "resolution": ""},
         "case_resolved_has_answer"),
    ],
)
def test_it_refuses_rows_breaking_a_named_rule(db, changes, constraint):
    case = make_case()

    with pytest.raises(IntegrityError) as exc, transaction.atomic():
        Case.objects.filter(pk=case.pk).update(**changes)

    assert exc.value.__cause__.diag.constraint_name == constraint


def test_it_refuses_a_second_case_with_one_client_token(db):
    make_case(client_token="once")

    with pytest.raises(IntegrityError) as exc, transaction.atomic():
        make_case(client_token="once")

    assert exc.value.__cause__.diag.constraint_name == "case_client_token_unique"
    make_case(client_token=None)
    make_case(client_token=None)  # no token, no constraint
