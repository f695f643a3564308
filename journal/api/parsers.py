"""Request body parsers of the API."""

from rest_framework import parsers
from rest_framework.exceptions import ParseError

#: The deepest nesting of arrays and objects a JSON body may have; real bodies need a few.
MAX_JSON_DEPTH = 32
TOO_DEEP = (
    f"JSON parse error - arrays and objects are nested more than {MAX_JSON_DEPTH} levels deep."
)


def json_depth_exceeds(data, limit: int) -> bool:
    """Return whether `data` nests lists and dicts more than `limit` levels deep."""
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict):
            value = value.values()
        elif not isinstance(value, list):
            continue
        if depth > limit:
            return True
        stack.extend((item, depth + 1) for item in value)
    return False


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, refusing with a 400 a body nested too deep to handle safely."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(TOO_DEEP) from None
        if json_depth_exceeds(data, MAX_JSON_DEPTH):
            raise ParseError(TOO_DEEP)
        return data
