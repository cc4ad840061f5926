"""project.prepared: prepared once per connection, prepared again on a new one."""

import pytest
from django.db import connection

from project.prepared import PreparedStatement

pytestmark = pytest.mark.django_db


def _prepared_names() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM pg_prepared_statements")
        return {name for (name,) in cursor.fetchall()}


def test_it_prepares_on_first_use_and_reuses_the_statement():
    add = PreparedStatement("SELECT %s + %s", ["int", "int"])
    assert add.name not in _prepared_names()

    assert add.fetchone([2, 3]) == (5,)
    assert add.name in _prepared_names()
    assert add.fetchone([4, 5]) == (9,)  # a second PREPARE of the same name would fail


@pytest.mark.django_db(transaction=True)
def test_it_prepares_again_after_a_reconnect():
    double = PreparedStatement("SELECT 2 * %s", ["int"])
    assert double.fetchone([21]) == (42,)

    connection.close()  # the session and its prepared statements are gone

    assert double.fetchone([4]) == (8,)


def test_it_survives_a_rolled_back_transaction():
    from django.db import transaction

    neg = PreparedStatement("SELECT -%s", ["int"])
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        assert neg.fetchone([1]) == (-1,)
        raise ZeroDivisionError  # roll back the transaction that prepared it
    assert neg.fetchone([2]) == (-2,)


def test_it_wants_one_type_per_placeholder():
    with pytest.raises(ValueError, match="one type per"):
        PreparedStatement("SELECT %s, %s", ["int"])
