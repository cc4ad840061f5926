"""The API key in the OpenAPI document (`Authorization: Token KEY`)."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class ApiKeyScheme(OpenApiAuthenticationExtension):
    target_class = "open311.authentication.ApiKeyAuthentication"
    name = "apiKey"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "`Token KEY`, a key from `manage.py create_api_key NAME --union ADCODE`: "
            "acts with that union's jurisdiction.",
        }
