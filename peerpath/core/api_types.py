"""The API's input rules in one place, so no app's schema can forget them.

Every API schema derives from :class:`Schema` (ninja's, plus these rules), and path and query
parameters use the bounded types below. The rules, for every field of every schema:

* integers fit the database (ids 1..2^31-1; any other integer within ±(2^31-1)): a larger number is a
  field error, never an overflow in SQLite or PostgreSQL; the OpenAPI document declares the bounds;
* ``true``/``false`` is not a number;
* a date or time is an ISO 8601 string (``0`` or ``"0"`` is not 1970-01-01);
* text, anywhere in the value (lists and objects included), has no NUL character (PostgreSQL refuses them).
"""

from __future__ import annotations

import re
import types
import typing
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any

from ninja import Schema as NinjaSchema
from pydantic import AfterValidator, Field, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

MAX_INT = 2**31 - 1  # PostgreSQL integer; ids (bigint) never get near it, and SQLite's 64-bit limit is far above

_NUMBERS = (int, float, Decimal)
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")


def _refuse_nul(value: str) -> str:
    if "\x00" in value:
        raise PydanticCustomError("nul_character", "Text must not contain NUL characters.")
    return value


Id = Annotated[int, Field(ge=1, le=MAX_INT)]
Offset = Annotated[int, Field(ge=0, le=MAX_INT)]
Limit = Annotated[int, Field(ge=1, le=200)]
Text = Annotated[str, AfterValidator(_refuse_nul)]


def _kinds(annotation: Any) -> set[type]:
    """The plain types an annotation is made of (``list[int] | None`` gives ``{list, int, NoneType}``)."""
    origin = typing.get_origin(annotation)
    if origin is Annotated:
        return _kinds(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType) or origin in (list, set, tuple, dict):
        found: set[type] = {origin} if isinstance(origin, type) else set()
        for arg in typing.get_args(annotation):
            found |= _kinds(arg)
        return found
    if isinstance(annotation, type):
        return {annotation}
    return set()


def _has_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return any(_has_nul(v) for v in value)
    return False


def _scalars(value: Any) -> list[Any]:
    return list(value) if isinstance(value, (list, tuple)) else [value]


class Schema(NinjaSchema):
    """Ninja's ``Schema`` with Peerpath's input rules (see the module docstring)."""

    @field_validator("*", mode="before")
    @classmethod
    def _peerpath_input_rules(cls, value: Any, info: ValidationInfo) -> Any:
        field = cls.model_fields.get(info.field_name or "")
        kinds = _kinds(field.annotation) if field is not None else set()
        if _has_nul(value):
            raise PydanticCustomError("nul_character", "Text must not contain NUL characters.")
        numeric = any(issubclass(kind, _NUMBERS) and kind is not bool for kind in kinds) and bool not in kinds
        for item in _scalars(value):
            if numeric and isinstance(item, bool):
                raise PydanticCustomError("not_a_number", "Enter a number, not true or false.")
            if isinstance(item, int) and not isinstance(item, bool) and int in kinds and not -MAX_INT <= item <= MAX_INT:
                raise PydanticCustomError("number_too_large", "Enter a number between {lo} and {hi}.",
                                          {"lo": -MAX_INT, "hi": MAX_INT})
            if kinds & {date, datetime} and not isinstance(item, (str, date)) and item is not None:
                raise PydanticCustomError("date_type", "Enter a date as YYYY-MM-DD (a time as YYYY-MM-DDTHH:MM).")
            if isinstance(item, str) and kinds & {date, datetime} and str not in kinds:
                pattern = _ISO_DATE if datetime not in kinds else _ISO_DATETIME
                if not pattern.match(item):
                    raise PydanticCustomError("date_format", "Enter a date as YYYY-MM-DD (a time as YYYY-MM-DDTHH:MM).")
        return value

    @classmethod
    def __get_pydantic_json_schema__(cls, core_schema: Any, handler: Any) -> dict[str, Any]:
        schema = handler(core_schema)
        target = handler.resolve_ref_schema(schema)
        for prop in target.get("properties", {}).values():
            _declare_int_bounds(prop)
        return schema


def _declare_int_bounds(prop: dict[str, Any]) -> None:
    """Document the integer range the validator above enforces, where the field gives none of its own."""
    if prop.get("type") == "integer":
        prop.setdefault("minimum", -MAX_INT)
        prop.setdefault("maximum", MAX_INT)
    for key in ("anyOf", "oneOf", "allOf"):
        for option in prop.get(key, []):
            _declare_int_bounds(option)
    for key in ("items", "additionalProperties"):
        if isinstance(prop.get(key), dict):
            _declare_int_bounds(prop[key])
