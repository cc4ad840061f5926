"""One error shape for the API: {"errors": {field: [messages]}} with the right 4xx.

Database outages are not handled here but in project.middleware, for pages and API alike.
"""

from rest_framework.views import exception_handler as drf_exception_handler


def exception_handler(exc, context):
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
