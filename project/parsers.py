"""The API's JSON parser: DRF's, with nesting too deep for Python's decoder a 400, not a 500."""

from django.utils.translation import gettext_lazy as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError:
            # json raises it past ~1,000 levels; no request of ours nests more than three.
            raise ParseError(_("JSON parse error - nested too deeply")) from None
