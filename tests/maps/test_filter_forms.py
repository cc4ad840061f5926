"""The pages' filter inputs carry the API's limits and defaults, written once in maps.params."""

import re

import pytest
from django.urls import reverse

from maps import params

pytestmark = pytest.mark.django_db


def input_of(html: str, name: str) -> str:
    return re.search(rf'<input[^>]*name="{name}"[^>]*>', html).group(0)


def test_the_gap_form_draws_the_limits_of_the_gap_api(staff_client):
    html = staff_client.get(reverse("maps:gap-map")).content.decode()
    for name, (low, high), default in [
        ("radius", params.RADIUS_LIMITS, params.DEFAULT_RADIUS),
        ("cell", params.CELL_LIMITS, params.DEFAULT_CELL),
        ("n", (1, params.MAX_SITES), params.DEFAULT_SITES),
    ]:
        field = input_of(html, name)
        assert f'min="{low}"' in field and f'max="{high}"' in field, field
        assert f'value="{default}"' in field, field


def test_the_forms_show_what_was_asked_for(staff_client):
    html = staff_client.get(reverse("maps:heatmap"), {"cell": "2000", "category": ["safety"]})
    html = html.content.decode()
    assert 'value="2000"' in input_of(html, "cell")
    assert re.search(r'<option value="safety" selected>', html)
