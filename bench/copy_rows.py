"""PostgreSQL COPY of generated rows: a table's lines are built as text (tab-separated, COPY's text
format) by the generators, and sent in one COPY per table and batch.

A generator names the columns it fills; every other NOT NULL column of the model gets its Python
default (or "" for a blank text field) appended as a constant, so a field added by another branch
does not break the seeding as long as it has a default.
"""

from __future__ import annotations

import datetime
import enum
import json
from decimal import Decimal

from django.db import models
from django.utils import timezone

NULL = r"\N"
_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def esc(text: str) -> str:
    """A free-text value in COPY's text format (the test first: almost no value needs escaping)."""
    if "\\" in text or "\t" in text or "\n" in text or "\r" in text:
        return text.translate(_ESCAPES)
    return text


def cents(value: int) -> str:
    sign = "-" if value < 0 else ""
    value = abs(value)
    return f"{sign}{value // 100}.{value % 100:02d}"


def literal(value, field: models.Field | None = None) -> str:
    if value is None:
        return NULL
    if isinstance(field, models.JSONField) or isinstance(value, dict | list):
        return esc(json.dumps(value))
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, enum.Enum):
        value = value.value
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    if isinstance(value, Decimal | int | float):
        return str(value)
    return esc(str(value))


class Table:
    """One table being filled: its column list (the generator's, then the defaulted ones) and the
    lines of the current batch."""

    def __init__(self, model, columns: list[str]):
        self.model, self.name = model, model._meta.db_table
        extra = self._defaults(model, set(columns))
        self.columns = columns + [column for column, _value in extra]
        self.suffix = "".join("\t" + value for _column, value in extra)
        self.lines: list[str] = []

    @staticmethod
    def _defaults(model, given: set[str]) -> list[tuple[str, str]]:
        now = timezone.now()
        out = []
        for field in model._meta.concrete_fields:
            if field.column in given:
                continue
            if field.primary_key:
                raise ValueError(f"{model._meta.db_table}: the generator must give the ids")
            if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                out.append((field.column, literal(now)))
            elif field.has_default():
                default = field.get_default()
                out.append((field.column, literal(default, field)))
            elif field.null:
                continue
            elif field.blank and isinstance(field, models.CharField | models.TextField | models.FileField):
                out.append((field.column, ""))
            else:
                raise ValueError(f"{model._meta.db_table}.{field.column}: NOT NULL without a default, "
                                 "the bench generator must fill it")
        return out

    def add(self, line: str) -> None:
        self.lines.append(line + self.suffix + "\n")

    def copy_to(self, cursor) -> int:
        """COPY the batch's lines (psycopg 3 cursor) and forget them."""
        count = len(self.lines)
        if count:
            columns = ", ".join(f'"{c}"' for c in self.columns)
            with cursor.copy(f'COPY "{self.name}" ({columns}) FROM STDIN') as copy:
                block = []
                size = 0
                for line in self.lines:
                    block.append(line)
                    size += len(line)
                    if size > 1 << 20:
                        copy.write("".join(block))
                        block, size = [], 0
                if block:
                    copy.write("".join(block))
        self.lines = []
        return count
