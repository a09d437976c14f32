"""Refuse, before any view runs, what no field may hold: NUL bytes, lone surrogates, JSON nested too deep.

PostgreSQL rejects NUL in text and a lone surrogate cannot be encoded as UTF-8, so either would
otherwise fail deep inside a query as a 500. Path numbers are bounded here too: every id column
is a 32-bit INTEGER.
"""

from collections.abc import Iterator
from typing import Any

from flask import Flask, request
from werkzeug.routing import IntegerConverter

from app.errors import BadInput

MAX_JSON_DEPTH = 32
BAD_TEXT = "不能含有 NUL 字符或无效的 Unicode / must not contain NUL or invalid Unicode"
TOO_DEEP = f"JSON 嵌套过深 / JSON nested deeper than {MAX_JSON_DEPTH} levels"


class Int32Converter(IntegerConverter):
    """``<int:...>`` bounded to a 32-bit id: a larger number matches no route (404)."""

    def __init__(self, map, fixed_digits=0, min=None, max=2**31 - 1, signed=False):
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def bad_text(value: str) -> bool:
    """Whether a string holds a NUL byte or a lone surrogate."""
    if "\x00" in value:
        return True
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _json_strings(document: Any) -> Iterator[tuple[str, str]]:
    """Every key and string value of a JSON document with its dotted path; refuses deep nesting."""
    stack = [("", document, 1)]
    while stack:
        path, value, depth = stack.pop()
        if isinstance(value, str):
            yield path or "json", value
        elif isinstance(value, dict | list):
            if depth > MAX_JSON_DEPTH:
                raise BadInput(TOO_DEEP, field=path or "json")
            items = value.items() if isinstance(value, dict) else enumerate(value)
            for key, item in items:
                child = f"{path}.{key}" if path else str(key)
                if isinstance(key, str):
                    yield child, key
                stack.append((child, item, depth + 1))


def _request_strings() -> Iterator[tuple[str, str]]:
    """The path, query, form fields and JSON body of the request, as (field, text) pairs."""
    yield "path", request.path
    for source in (request.args, request.form):
        for name, values in source.lists():
            yield name, name
            for value in values:
                yield name, value
    if request.is_json and request.content_length != 0:
        try:
            document = request.get_json(silent=True)
        except RecursionError:
            raise BadInput(TOO_DEEP, field="json") from None
        yield from _json_strings(document)


def refuse_bad_text() -> None:
    """Refuse the request (400 naming the field) when any of its text is unusable."""
    for field, value in _request_strings():
        if bad_text(value):
            raise BadInput(f"{field}: {BAD_TEXT}", field=field)


def register_request_guard(app: Flask) -> None:
    """Bound path numbers and check every request's text before the views see it."""
    app.url_map.converters["int"] = Int32Converter
    app.before_request(refuse_bad_text)
