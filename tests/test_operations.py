from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from drf_spectacular.validation import validate_schema


@pytest.mark.django_db
def test_the_schema_is_a_valid_openapi_document(client):
    response = client.get(reverse("schema"), {"format": "json"})
    assert response.status_code == 200
    schema = response.json()
    validate_schema(schema)  # raises on an invalid document
    assert schema["openapi"].startswith("3.")


@pytest.mark.django_db
def test_the_api_docs_page_is_served_without_a_cdn(client):
    response = client.get(reverse("api-docs"))
    assert response.status_code == 200
    assert b"cdn.jsdelivr" not in response.content
    assert b"swagger-ui" in response.content


@pytest.mark.django_db
def test_the_admin_login_page_is_served(client):
    response = client.get(reverse("admin:login"))
    assert response.status_code == 200


@pytest.mark.django_db
def test_migrations_match_the_models():
    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()
