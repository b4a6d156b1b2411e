"""One CSV reader for every file people give Peerpath (the service-event import and ``peerpath analyze``).

``csv_rows(source, required=...)`` reads a header row and then yields one ``CsvRow`` per data line, as a
stream (a chunk of the file at a time, whatever its size). Every row carries the file's real line
number, and a row that cannot be read carries a ``problem`` instead of values, so a caller reports it
and goes on with the next row. The rules, the same whichever way the file arrives (bytes from an
upload, a binary or text stream, or text from a JSON API body):

* A UTF-8 byte-order mark at the start is dropped (Excel's "CSV UTF-8" writes one).
* LF and CR LF end a line; each counts as one line, and one line is one record (a value cannot span
  lines, which none of our formats needs). A bare CR (a CR not followed by LF: old Mac / "CSV
  (Macintosh)" exports, or a line break pasted into a cell) is refused, never read as a line end or
  as part of a value: it usually means two records run together, and guessing would merge or split
  fields silently. On a data line it is that line's problem ("line N contains a carriage return…",
  naming the column, whether the CR is outside quotes or inside a quoted value) and the next line is
  read as usual; in the header (a whole file with bare-CR line endings) the file is refused, saying
  how to save it.
* A quote opened and not closed on its line is that line's problem ("the quote opened in column X
  is not closed"); the next line is read as usual, so one stray quote cannot swallow the file.
* A row with more or fewer fields than the header is refused naming the column concerned: the first
  column with no value, or the field with no column (a trailing comma shows as an extra empty field).
* Blank lines (and lines of bare commas) are skipped, and do not shift any line number.
* A line that is not UTF-8 or contains a NUL character is that line's problem.
* A header without the required columns that splits into them on ``;`` or a tab is refused with
  "the delimiter looks like ';'", not "column missing".

File-level faults (no header, missing or duplicated columns, wrong delimiter) raise ``CsvFileError``.
No Django import: messages are translated when Django is configured, and plain English otherwise, so
``peerpath.outcomes.analysis`` stays usable without a Django project.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, BinaryIO

BOM = b"\xef\xbb\xbf"
CHUNK = 256 * 1024
DELIMITERS = {";": "';' (semicolon)", "\t": "a tab"}


def _(message: str) -> str:
    """gettext when Django is set up (the pages, the API, management commands), the text itself otherwise."""
    try:
        from django.conf import settings

        if settings.configured:
            from django.utils.translation import gettext

            return gettext(message)
    except ImportError:  # pragma: no cover - Django is always installed with Peerpath
        pass
    return message


@dataclass(frozen=True)
class CsvProblem:
    line: int  # the file's line number (the header is line 1 unless blank lines precede it); 0 = the whole file
    column: str
    reason: str

    def __str__(self) -> str:
        where = f"line {self.line}" if self.line else "the file"
        return f"{where}, column {self.column!r}: {self.reason}" if self.column else f"{where}: {self.reason}"


class CsvFileError(ValueError):
    """The file as a whole cannot be read (nothing in it was used)."""

    def __init__(self, problem: CsvProblem) -> None:
        self.problem = problem
        super().__init__(str(problem))


@dataclass(frozen=True)
class CsvRow:
    line: int
    values: dict[str, str]  # every header column, stripped; empty when ``problem`` is set
    problem: CsvProblem | None = None


def _binary_lines(stream: BinaryIO) -> Iterator[bytes]:
    """Physical lines without their ending; LF and CR LF end a line (a bare CR stays in the line, for
    the caller to refuse). Reads in chunks."""
    pending = b""
    first = True
    while True:
        block = stream.read(CHUNK)
        if not block:
            break
        if first:
            block = block.removeprefix(BOM)
            first = False
        lines = (pending + block).split(b"\n")
        pending = lines.pop()  # after the last LF: unfinished (or empty)
        for line in lines:
            yield line.removesuffix(b"\r")
    if pending:
        yield pending  # the last line, without a final newline (a CR left at its end is a bare CR)


class _TextAsBinary(io.RawIOBase):
    """A text stream read as UTF-8 bytes, chunk by chunk (so text and bytes follow one path)."""

    def __init__(self, text: Any) -> None:
        self._text = text
        self._buffer = b""

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        while size < 0 or len(self._buffer) < size:
            chunk = self._text.read(CHUNK if size < 0 else max(size, 1))
            if not chunk:
                break
            self._buffer += chunk.encode("utf-8", "surrogatepass")  # a lone surrogate fails that line's decoding
        if size < 0:
            out, self._buffer = self._buffer, b""
        else:
            out, self._buffer = self._buffer[:size], self._buffer[size:]
        return out


def _as_binary(source: Any) -> BinaryIO:
    if isinstance(source, bytes | bytearray | memoryview):
        return io.BytesIO(bytes(source))
    if isinstance(source, str):
        return _TextAsBinary(io.StringIO(source))  # type: ignore[return-value]
    if isinstance(source, io.TextIOBase):  # an open text file, standard input
        return _TextAsBinary(source)  # type: ignore[return-value]
    return source  # a binary stream (an uploaded file, an open file)


def _bare_cr(text: str, delimiter: str, header: list[str]) -> str:
    """The reason a line with a CR in it is refused (empty when it has none): outside quotes or inside a
    quoted value, naming the column. Quotes toggle the state ("" toggles twice, as a doubled quote should)."""
    if "\r" not in text:
        return ""
    inside, field = False, 0
    for ch in text:
        if ch == '"':
            inside = not inside
        elif ch == delimiter and not inside:
            field += 1
        elif ch == "\r":
            break
    column = header[field] if field < len(header) else f"#{field + 1}"
    if inside:
        return _("The value in column %(col)s contains a carriage return (CR), a line break inside a value: a value "
                 "cannot span lines. Remove the line break from the cell.") % {"col": column}
    return _("This line contains a carriage return (CR) without a line feed, in column %(col)s: it may be two "
             "rows run together. Save the file as CSV (UTF-8), which ends each row with CR LF.") % {"col": column}


def _split(text: str, delimiter: str, header: list[str]) -> tuple[list[str] | None, str]:
    """The fields of one line, or None and the reason (a bare CR, an unclosed or stray quote)."""
    reason = _bare_cr(text, delimiter, header)
    if reason:
        return None, reason
    if '"' not in text:
        return text.split(delimiter), ""
    try:
        return next(csv.reader([text], delimiter=delimiter, strict=True)), ""
    except csv.Error as exc:
        # Which column the bad quote is in: the fields before the first quote.
        before = text[:text.index('"')].count(delimiter)
        column = header[before] if before < len(header) else f"#{before + 1}"
        if "unexpected end of data" in str(exc):
            return None, _("The quote opened in column %(col)s is not closed on this line (a value cannot span lines).") % {
                "col": column}
        return None, _("Quotes in column %(col)s are malformed: quote the whole value, and double any quote inside it.") % {
            "col": column}


def _decode(raw: bytes) -> str | None:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return None


def _delimiter_hint(header_text: str, required: Iterable[str]) -> str | None:
    for delimiter, name in DELIMITERS.items():
        names = {h.strip().strip('"').strip() for h in header_text.split(delimiter)}
        if delimiter in header_text and (set(required) & names or len(names) > len(header_text.split(","))):
            return name
    return None


class CsvRows:
    """Iterate for the rows; ``header`` is the header's column names, ``header_line`` its line number."""

    def __init__(self, source: Any, *, required: Iterable[str] = (), delimiter: str = ",") -> None:
        self.delimiter = delimiter
        self._lines = enumerate(_binary_lines(_as_binary(source)), start=1)
        self.header_line = 0
        for number, raw in self._lines:
            if raw.strip(b" \t" + delimiter.encode()):
                self.header_line = number
                break
        else:
            raise CsvFileError(CsvProblem(0, "", _("The file is empty: the first row must be the header.")))
        text = _decode(raw)
        if text is None or "\x00" in text:
            raise CsvFileError(CsvProblem(self.header_line, "", _("The file is not UTF-8 text. Save it as CSV (UTF-8).")))
        if "\r" in text:
            raise CsvFileError(CsvProblem(self.header_line, "", _(
                "The header row contains a carriage return (CR) without a line feed: the file's lines probably end "
                "with a bare CR (old Mac format). Save it as CSV (UTF-8), which ends each row with CR LF.")))
        fields, reason = _split(text, delimiter, [])
        if fields is None:
            raise CsvFileError(CsvProblem(self.header_line, "", reason))
        self.header = [f.strip() for f in fields]
        required = list(required)
        missing = [c for c in required if c not in self.header]
        if missing:
            hint = _delimiter_hint(text, required)
            if hint:
                raise CsvFileError(CsvProblem(self.header_line, "", _(
                    "The delimiter looks like %(d)s, not a comma: save the file as CSV (comma delimited).") % {"d": hint}))
            raise CsvFileError(CsvProblem(self.header_line, ", ".join(missing), _(
                "The header row lacks the column(s): %(cols)s.") % {"cols": ", ".join(missing)}))
        duplicated = sorted({c for c in self.header if c and self.header.count(c) > 1})
        if duplicated:
            raise CsvFileError(CsvProblem(self.header_line, ", ".join(duplicated), _(
                "The header row names the column(s) %(cols)s more than once.") % {"cols": ", ".join(duplicated)}))

    def __iter__(self) -> Iterator[CsvRow]:
        header, width, delimiter = self.header, len(self.header), self.delimiter
        blank = b" \t" + delimiter.encode()
        for number, raw in self._lines:
            if not raw.strip(blank):
                continue  # a blank line (or only delimiters): skipped, the numbering goes on
            text = _decode(raw)
            if text is None:
                yield CsvRow(number, {}, CsvProblem(number, "", _("This line is not UTF-8 text.")))
                continue
            if "\x00" in text:
                yield CsvRow(number, {}, CsvProblem(number, "", _("This line contains a NUL character.")))
                continue
            fields, reason = _split(text, delimiter, header)
            if fields is None:
                yield CsvRow(number, {}, CsvProblem(number, "", reason))
                continue
            if len(fields) != width:
                yield CsvRow(number, {}, self._width_problem(number, fields))
                continue
            yield CsvRow(number, {name: value.strip() for name, value in zip(header, fields, strict=True)})

    def _width_problem(self, number: int, fields: list[str]) -> CsvProblem:
        width = len(self.header)
        counts = {"n": len(fields), "width": width}
        if len(fields) < width:
            column = self.header[len(fields)]
            return CsvProblem(number, column, _(
                "This row has %(n)s fields but the header has %(width)s columns: there is no value for this column.")
                % counts)
        extra = fields[width:]
        if all(not f.strip() for f in extra):
            return CsvProblem(number, self.header[-1], _(
                "This row has %(n)s fields but the header has %(width)s columns: remove the trailing comma after "
                "this column.") % counts)
        return CsvProblem(number, self.header[-1], _(
            "This row has %(n)s fields but the header has %(width)s columns: the value %(value)s after this "
            "column has no column (a comma inside a value must be quoted).") % {**counts, "value": repr(extra[0].strip())})


def csv_rows(source: Any, *, required: Iterable[str] = (), delimiter: str = ",") -> CsvRows:
    """Read a CSV file as a stream: bytes, text, or a binary or text file object. See the module doc."""
    return CsvRows(source, required=required, delimiter=delimiter)
