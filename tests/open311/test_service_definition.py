"""services/{code}.json / .xml: the attributes a service takes; 404 for an unknown code."""

from .helpers import body, url


def test_facility_problem_takes_the_facility_id_in_json(client, db):
    response = client.get(url("service", "json", service_code="facility_problem"))

    assert response.status_code == 200
    definition = body(response)
    assert definition["service_code"] == "facility_problem"
    (attribute,) = definition["attributes"]
    assert (attribute["code"], attribute["datatype"], attribute["required"]) == (
        "facility", "number", True,
    )
    assert attribute["variable"] is True and attribute["order"] == 1


def test_facility_problem_takes_the_facility_id_in_xml(client, db):
    root = body(client.get(url("service", "xml", service_code="facility_problem")))

    assert root.tag == "service_definition"
    attribute = root.find("attributes/attribute")
    assert attribute.findtext("code") == "facility"
    assert attribute.findtext("required") == "true"
    assert attribute.findtext("description")


def test_a_service_without_metadata_has_no_attributes(client, db):
    definition = body(client.get(url("service", "json", service_code="wage_arrears")))
    assert definition == {"service_code": "wage_arrears", "attributes": []}


def test_an_unknown_service_is_404_in_the_specs_error_shape(client, db):
    response = client.get(url("service", "json", service_code="parking"))
    assert response.status_code == 404
    (error,) = body(response)
    assert error["code"] == 404 and "parking" in error["description"]

    response = client.get(url("service", "xml", service_code="parking"))
    assert response.status_code == 404
    root = body(response)
    assert root.tag == "errors"
    assert root.findtext("error/code") == "404"
    assert "parking" in root.findtext("error/description")
