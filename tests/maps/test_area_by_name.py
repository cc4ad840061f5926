"""The maps' `area` parameter: an adcode or a name (Chinese, or English in any case)."""

import pytest
from rest_framework.exceptions import ValidationError

from maps.params import AreaField
from stations.models import Area
from tests.factories import make_area, square

pytestmark = pytest.mark.django_db


@pytest.fixture
def xiuzhou():
    area = make_area(square(120.6, 30.7, 0.2), adcode="330411", name="秀洲区")
    Area.objects.filter(pk=area.pk).update(name_en="Xiuzhou District")
    return area


@pytest.mark.parametrize("typed", ["330411", "秀洲区", "xiuzhou district", " 秀洲区 "])
def test_it_finds_the_area_by_adcode_or_name(xiuzhou, typed):
    assert AreaField().run_validation(typed) == xiuzhou


def test_blank_means_every_area(xiuzhou):
    assert AreaField(required=False).run_validation("") is None


def test_it_names_what_it_could_not_find_or_could_not_tell_apart(xiuzhou):
    make_area(square(100.0, 30.0, 0.2), name="秀洲区")  # a namesake elsewhere
    for typed, code in [("嘉兴市", "unknown"), ("秀洲区", "ambiguous")]:
        with pytest.raises(ValidationError) as failure:
            AreaField().run_validation(typed)
        (message,) = failure.value.detail
        assert message.code == code and typed in message
