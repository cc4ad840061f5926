import pytest
from django.db import transaction

from tests.cases.helpers import inside, new_case
from tests.notify.helpers import district, pump, subscribe, webhook_deliveries


def test_no_event_for_a_change_that_rolled_back(db, receiver):
    d = district()
    subscribe(receiver.url, "case.escalated", "case.resolved")
    case = new_case(inside(d.area))

    with pytest.raises(RuntimeError), transaction.atomic():
        case.escalate(note="undone")
        raise RuntimeError("the request failed after the change")
    case.refresh_from_db()
    case.accept()
    case.resolve(note="已解决 solved")
    pump()

    assert webhook_deliveries("case.escalated") == []
    assert [hit.json["type"] for hit in receiver.received] == ["case.resolved"]
