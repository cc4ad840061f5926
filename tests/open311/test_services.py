"""services.json / .xml: every case category is a service, grouped, named in the asked language."""

from cases.models import Category

from .helpers import body, url, xml_records


def test_every_category_is_a_service_in_json(client, db):
    services = body(client.get(url("services", "json")))

    assert [s["service_code"] for s in services] != []
    assert {s["service_code"] for s in services} == set(Category.values)
    for service in services:
        assert service["type"] == "realtime"
        assert service["service_name"] and service["group"]


def test_only_the_facility_problem_service_has_metadata(client, db):
    services = {s["service_code"]: s for s in body(client.get(url("services", "json")))}

    assert services["facility_problem"]["metadata"] is True
    assert {code for code, s in services.items() if s["metadata"]} == {"facility_problem"}


def test_public_places_and_workers_rights_are_two_groups(client, db):
    services = body(client.get(url("services", "json"), HTTP_ACCEPT_LANGUAGE="en"))
    groups = {s["service_code"]: s["group"] for s in services}

    assert groups["station_shortage"] == groups["facility_problem"] == "Facilities"
    assert groups["wage_arrears"] == groups["labour_contract"] == "Workers' rights"
    # Grouped in the list too: the facilities first.
    assert [s["group"] for s in services] == sorted(
        (s["group"] for s in services), key=lambda g: g != "Facilities"
    )


def test_names_follow_accept_language(client, db):
    def names(language):
        response = client.get(url("services", "json"), HTTP_ACCEPT_LANGUAGE=language)
        return {s["service_code"]: s["service_name"] for s in body(response)}

    english, chinese = names("en"), names("zh-CN")

    assert english["wage_arrears"] == "Wage arrears"
    assert chinese["wage_arrears"] == "欠薪"
    assert chinese["facility_problem"] == "设施问题"
    # One language per name: no Latin letters in the Chinese list.
    assert not any(c.isascii() and c.isalpha() for name in chinese.values() for c in name)


def test_the_xml_list_has_a_service_element_per_category(client, db):
    root = body(client.get(url("services", "xml"), HTTP_ACCEPT_LANGUAGE="en"))

    assert root.tag == "services"
    records = {r["service_code"]: r for r in xml_records(root)}
    assert set(records) == set(Category.values)
    assert records["facility_problem"]["metadata"] == "true"
    assert records["other"]["metadata"] == "false"
    assert records["safety"]["service_name"] == "Safety"
