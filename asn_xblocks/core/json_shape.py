"""Reading untrusted authored JSON (scenarios, item banks) with errors that say where.

Each reader takes the value, a `where` ("node 'n1' choice 'a'", "item 'q3' option 'b'") and
the key, so every error names its place for the author who has to fix it.
"""
from __future__ import annotations

import math


class ContentFormatError(ValueError):
    """The JSON does not have the shape the content needs; the message says where."""


def fail(where: str, message: str):
    raise ContentFormatError(f'{where}: {message}' if where else message)


def keys(data, where: str, required: tuple[str, ...], optional: tuple[str, ...] = ()) -> dict:
    if not isinstance(data, dict):
        fail(where, f'expected an object, got {type(data).__name__}')
    missing = [k for k in required if k not in data]
    if missing:
        fail(where, f'missing {", ".join(repr(k) for k in missing)}')
    unknown = sorted(set(data) - set(required) - set(optional))
    if unknown:
        fail(where, f'unknown key(s) {", ".join(repr(k) for k in unknown)}')
    return data


def string(value, where: str, key: str) -> str:
    if not isinstance(value, str) or not value.strip():
        fail(where, f'{key!r} must be a non-empty string')
    return value


def number(value, where: str, key: str) -> int | float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        fail(where, f'{key!r} must be a number')
    return value


def integer(value, where: str, key: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        fail(where, f'{key!r} must be an integer')
    return value


def boolean(value, where: str, key: str) -> bool:
    if not isinstance(value, bool):
        fail(where, f'{key!r} must be true or false')
    return value


def array(value, where: str, key: str) -> list:
    if not isinstance(value, list):
        fail(where, f'{key!r} must be a list')
    return value


def optional(data: dict, key: str, read, where: str):
    return read(data[key], where, key) if key in data else None


def put(out: dict, key: str, value):
    """Write an optional value: absent stays absent (canonical form)."""
    if value is not None and value != ():
        out[key] = value
