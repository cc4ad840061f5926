from django import template
from django.utils.safestring import SafeString

from maps.render import with_nonce as _with_nonce

register = template.Library()


@register.filter
def with_nonce(html: SafeString, nonce: str) -> SafeString:
    """`{{ map.header|with_nonce:request.csp_nonce }}`: see maps.render.with_nonce."""
    return _with_nonce(html, nonce)
