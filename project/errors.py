"""One error shape for the API: {"errors": {field: [messages]}} with the right 4xx."""

from django.db import InterfaceError, OperationalError
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler


def exception_handler(exc, context):
    if isinstance(exc, (OperationalError, InterfaceError)):
        # Database unreachable or connection dropped: tell the client to retry, don't 500.
        return Response(
            {"errors": {"database": ["temporarily unavailable, retry shortly"]}},
            status=status.HTTP_503_SERVICE_UNAVAILABLE,
            headers={"Retry-After": "5"},
        )
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    data = response.data
    if isinstance(data, dict) and set(data) == {"detail"}:
        response.data = {"errors": {"detail": [str(data["detail"])]}}
    elif isinstance(data, dict) and "errors" not in data:
        response.data = {"errors": data}
    elif isinstance(data, list):
        response.data = {"errors": {"non_field_errors": data}}
    return response
