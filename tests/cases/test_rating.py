"""The worker rates the answer once it is resolved; a 1 or 2 reopens the case."""

import pytest
from django.contrib.gis.geos import Point
from django.urls import reverse

from cases.models import Case, CaseEvent, EventKind, Status

from .helpers import new_case


@pytest.fixture
def case(tree):
    return new_case(Point(101, 1, srid=4326))


def _rate(api, case, **data):
    data.setdefault("token", case.tracking_token)
    return api.post(reverse("cases:case-rating", args=[case.reference]), data, format="json")


def _resolve(case, answer="已解决 sorted"):
    case.accept()
    case.resolve(note=answer)


def test_it_records_a_good_rating_and_leaves_the_case_resolved(api, case):
    _resolve(case)

    response = _rate(api, case, score=5, comment="很快 quick")

    assert response.status_code == 200
    assert response.json()["rating"] == 5 and response.json()["can_be_rated"] is False
    case.refresh_from_db()
    assert (case.status, case.rating, case.rating_comment) == (Status.RESOLVED, 5, "很快 quick")
    event = CaseEvent.objects.get(case=case, kind=EventKind.RATING)
    assert (event.to_value, event.actor_label, event.actor) == ("5", "reporter", None)


@pytest.mark.parametrize("score", [1, 2])
def test_a_low_rating_reopens_the_case(api, case, score):
    _resolve(case)

    response = _rate(api, case, score=score, comment="没解决 not solved")

    assert response.json()["status"] == "reopened"
    case.refresh_from_db()
    assert case.status == Status.REOPENED and case.reopen_count == 1 and case.rating == score
    reopen = CaseEvent.objects.get(case=case, kind=EventKind.STATUS, to_value="reopened")
    assert (reopen.actor_label, reopen.note) == ("reporter", "没解决 not solved")


def test_after_a_reopen_the_new_answer_can_be_rated_again(api, case):
    _resolve(case)
    _rate(api, case, score=1)
    _resolve(case, "第二次处理 second go")

    assert _rate(api, case, score=4).status_code == 200
    case.refresh_from_db()
    assert case.rating == 4 and case.status == Status.RESOLVED


def test_a_closed_case_can_still_be_rated(api, case):
    _resolve(case)
    case.close()

    assert _rate(api, case, score=3).status_code == 200


@pytest.mark.parametrize("score", [0, 6, -1, "five", None, 2.5])
def test_it_rejects_a_score_outside_1_to_5(api, case, score):
    _resolve(case)
    data = {"score": score} if score is not None else {}

    response = _rate(api, case, **data)

    assert response.status_code == 400 and "score" in response.json()["errors"]
    assert Case.objects.get(pk=case.pk).rating is None


def test_it_refuses_to_rate_an_unresolved_case_naming_the_score(api, case):
    case.accept()

    response = _rate(api, case, score=4)

    assert response.status_code == 400 and "score" in response.json()["errors"]
    assert not CaseEvent.objects.filter(case=case, kind=EventKind.RATING).exists()


def test_it_refuses_a_second_rating_of_the_same_answer(api, case):
    _resolve(case)
    _rate(api, case, score=4)

    response = _rate(api, case, score=5)

    assert response.status_code == 400 and "score" in response.json()["errors"]
    assert Case.objects.get(pk=case.pk).rating == 4


def test_a_wrong_token_is_404_even_with_a_valid_score(api, case):
    _resolve(case)

    response = _rate(api, case, token="guess", score=5)

    assert response.status_code == 404
    assert Case.objects.get(pk=case.pk).rating is None
