"""The staff pages need a union staff account; the employer search is public and names only."""

import pytest
from django.urls import reverse

from tests.factories import make_staff
from tests.outreach.builders import make_enterprise

pytestmark = pytest.mark.django_db


def test_staff_pages_redirect_the_public_to_log_in(client, tree):
    for name in ("outreach:visits-page", "outreach:reviews-page"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and "login" in response["Location"]


def test_an_account_without_a_union_gets_a_404(client, tree):
    client.force_login(make_staff(None))
    assert client.get(reverse("outreach:visits-page")).status_code == 404


def test_the_review_page_shows_the_jurisdictions_figures(client, tree):
    make_enterprise(tree.a, is_key=True, name="重点企业甲")
    client.force_login(make_staff(tree.a.union))
    page = client.get(reverse("outreach:reviews-page"), {"period": "quarter"})
    assert page.status_code == 200
    assert "重点企业甲" in page.content.decode()  # a key enterprise not visited this quarter


def test_the_employer_search_is_public_and_gives_names_only(api, tree):
    firm = make_enterprise(tree.a, name="绍兴某快递有限公司", street="塔山街道")
    found = api.get(reverse("outreach:enterprise-search"), {"q": "快递"}).json()
    assert found == [{"id": firm.pk, "name": "绍兴某快递有限公司", "street": "塔山街道"}]
    assert api.get(reverse("outreach:enterprise-search"), {"q": "快"}).json() == []
