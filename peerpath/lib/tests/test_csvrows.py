"""The one CSV reader (issue 10 point 14, issue 12 point 10): line numbers, BOM, CR, quotes, widths, delimiters."""

import io

import pytest

from peerpath.lib import csvrows
from peerpath.lib.csvrows import CsvFileError, csv_rows

HEADER = "record_number,kind,occurred_on"


def _rows(source, **kwargs):
    return [(r.line, r.values, r.problem) for r in csv_rows(source, **kwargs)]


def _good(source, **kwargs):
    return [(r.line, r.values) for r in csv_rows(source, **kwargs) if r.problem is None]


def _problems(source, **kwargs):
    return [(p.line, p.column, p.reason) for _line, _values, p in _rows(source, **kwargs) if p]


@pytest.mark.parametrize("kind", ["bytes", "str", "binary stream", "text stream"])
def test_a_bom_is_dropped_whichever_way_the_file_comes(kind):
    text = "\ufeff" + HEADER + "\nR-1,emergency,2026-01-05\n"
    source = {"bytes": text.encode(), "str": text, "binary stream": io.BytesIO(text.encode()),
              "text stream": io.StringIO(text)}[kind]
    reader = csv_rows(source, required=["record_number"])
    assert reader.header == ["record_number", "kind", "occurred_on"]
    assert [(r.line, r.values) for r in reader] == [
        (2, {"record_number": "R-1", "kind": "emergency", "occurred_on": "2026-01-05"})]


@pytest.mark.parametrize("eol", ["\n", "\r\n"])
def test_lf_and_cr_lf_read_the_same_rows_with_the_same_line_numbers(eol):
    text = eol.join([HEADER, "R-1,emergency,2026-01-05", "", "R-2,crisis,2026-01-06", ""])
    assert _good(text.encode()) == [
        (2, {"record_number": "R-1", "kind": "emergency", "occurred_on": "2026-01-05"}),
        (4, {"record_number": "R-2", "kind": "crisis", "occurred_on": "2026-01-06"})]


BARE_CR = ("This line contains a carriage return (CR) without a line feed, in column {col}: it may be two rows run "
           "together. Save the file as CSV (UTF-8), which ends each row with CR LF.")
CR_IN_VALUE = ("The value in column {col} contains a carriage return (CR), a line break inside a value: a value cannot "
               "span lines. Remove the line break from the cell.")


@pytest.mark.parametrize("kind", ["bytes", "str", "binary stream", "text stream"])
def test_a_bare_cr_is_the_problem_of_its_line_and_fields_are_never_merged_or_split(kind):
    text = f"{HEADER}\nR-1,emergency\r2026-01-05\nR-2,crisis,2026-01-06\nR-3,crisis,2026-01-07\r"
    source = {"bytes": text.encode(), "str": text, "binary stream": io.BytesIO(text.encode()),
              "text stream": io.StringIO(text, newline="")}[kind]
    assert _rows(source) == [
        (2, {}, csvrows.CsvProblem(2, "", BARE_CR.format(col="kind"))),
        (3, {"record_number": "R-2", "kind": "crisis", "occurred_on": "2026-01-06"}, None),
        (4, {}, csvrows.CsvProblem(4, "", BARE_CR.format(col="occurred_on")))]  # a CR at the very end too


def test_a_cr_inside_a_quoted_value_is_refused_naming_the_column_and_a_quoted_cr_lf_too(monkeypatch):
    monkeypatch.setattr(csvrows, "CHUNK", 5)  # the CR and LF fall on either side of a chunk boundary
    text = (f'{HEADER},facility\r\nR-1,emergency,2026-01-05,"St Mary\'s\rWard B"\r\n'
            f'R-2,crisis,2026-01-06,"A ""B"" C"\r\nR-3,crisis,2026-01-07,"x\r\ny"\r\n')
    problems = _problems(io.BytesIO(text.encode()))
    assert problems[0] == (2, "", CR_IN_VALUE.format(col="facility"))
    assert problems[1][0] == 4 and "quote opened in column facility is not closed" in problems[1][2]
    assert problems[2][:2] == (5, "kind")  # 'y"' alone: a line of its own, never joined to line 4
    assert _good(text) == [(3, {"record_number": "R-2", "kind": "crisis", "occurred_on": "2026-01-06",
                                "facility": 'A "B" C'})]


def test_a_cr_after_a_closed_quote_is_outside_it_and_a_doubled_quote_does_not_end_the_value():
    assert _problems(f'{HEADER}\n"R-1","eme""rg""ency"\r,2026-01-05\n') == [(2, "", BARE_CR.format(col="kind"))]
    assert _problems(f'{HEADER}\n"R-1","a ""b\r"" c",2026-01-05\n') == [(2, "", CR_IN_VALUE.format(col="kind"))]


@pytest.mark.parametrize("data", [b"\xef\xbb\xbf" + HEADER.encode() + b"\rR-1,emergency,2026-01-05\r",
                                  HEADER.encode() + b"\r"])
def test_a_file_with_bare_cr_line_endings_is_refused_saying_how_to_save_it(data):
    with pytest.raises(CsvFileError) as excinfo:
        csv_rows(io.BytesIO(data), required=["record_number"])
    assert (excinfo.value.problem.line, excinfo.value.problem.column) == (1, "")
    assert excinfo.value.problem.reason == (
        "The header row contains a carriage return (CR) without a line feed: the file's lines probably end with a "
        "bare CR (old Mac format). Save it as CSV (UTF-8), which ends each row with CR LF.")


def test_line_numbers_count_blank_lines_and_blank_lines_before_the_header():
    text = f"\n\n{HEADER}\n\n,,\nR-1,emergency,2026-01-05\n\n\nR-2,nope\n"
    reader = csv_rows(text)
    rows = list(reader)
    assert reader.header_line == 3
    assert [(r.line, bool(r.problem)) for r in rows] == [(6, False), (9, True)]


def test_an_unclosed_quote_is_the_problem_of_its_own_line_and_the_next_lines_are_read():
    text = f'{HEADER},facility\nR-1,emergency,2026-01-05,"St Mary\'s\nR-2,crisis,2026-01-06,"Ward ""B"""\n'
    rows = _rows(text)
    assert rows[0][0] == 2 and "quote opened in column facility is not closed" in rows[0][2].reason
    assert rows[1] == (3, {"record_number": "R-2", "kind": "crisis", "occurred_on": "2026-01-06",
                           "facility": 'Ward "B"'}, None)


def test_a_stray_quote_names_its_column():
    (problem,) = _problems(f'{HEADER}\nR-1,"emer"gency,2026-01-05\n')
    assert problem[:2] == (2, "")
    assert problem[2].startswith("Quotes in column kind are malformed")


def test_too_few_fields_blame_the_first_column_without_a_value():
    assert _problems(f"{HEADER}\nR-1,emergency\n") == [
        (2, "occurred_on", "This row has 2 fields but the header has 3 columns: there is no value for this column.")]


def test_a_trailing_comma_and_an_extra_field_blame_the_last_column_and_say_which():
    problems = _problems(f"{HEADER}\nR-1,emergency,2026-01-05,\nR-2,crisis,2026-01-06,oops\n")
    assert problems[0][:2] == (2, "occurred_on") and "remove the trailing comma" in problems[0][2]
    assert problems[1][:2] == (3, "occurred_on") and "'oops'" in problems[1][2]


@pytest.mark.parametrize(("delimiter", "named"), [(";", "';' (semicolon)"), ("\t", "a tab")])
def test_a_semicolon_or_tab_file_is_refused_naming_the_delimiter(delimiter, named):
    text = delimiter.join(["record_number", "kind", "occurred_on"]) + "\n" + delimiter.join(["R-1", "crisis", "2026-01-05"])
    with pytest.raises(CsvFileError) as excinfo:
        csv_rows(text, required=["record_number", "kind"])
    assert excinfo.value.problem.reason == (
        f"The delimiter looks like {named}, not a comma: save the file as CSV (comma delimited).")


def test_a_missing_column_is_named():
    with pytest.raises(CsvFileError) as excinfo:
        csv_rows("record_number,date\nR-1,2026-01-01\n", required=["record_number", "kind", "occurred_on"])
    assert (excinfo.value.problem.line, excinfo.value.problem.column) == (1, "kind, occurred_on")


@pytest.mark.parametrize("text", ["", "\n\n", "\ufeff"])
def test_an_empty_file_is_refused(text):
    with pytest.raises(CsvFileError, match="empty"):
        csv_rows(text)


def test_a_line_that_is_not_utf8_or_has_a_nul_is_that_lines_problem():
    data = f"{HEADER}\nR-1,emergency,2026-01-05\nR-\xe9,crisis,2026-01-05\n".encode("latin-1") + b"R-3,cri\x00sis,2026-01-05\n"
    assert [(p[0], p[2]) for p in _problems(data)] == [
        (3, "This line is not UTF-8 text."), (4, "This line contains a NUL character.")]


def test_lines_split_across_read_chunks_are_whole(monkeypatch):
    monkeypatch.setattr(csvrows, "CHUNK", 7)  # every line, and the CR LF pairs, cross a chunk boundary
    text = "\r\n".join([HEADER] + [f"R-{i},emergency,2026-01-{1 + i:02d}" for i in range(20)]) + "\r\n"
    rows = _good(io.BytesIO(("\ufeff" + text).encode()))
    assert [line for line, _values in rows] == list(range(2, 22))
    assert rows[-1][1] == {"record_number": "R-19", "kind": "emergency", "occurred_on": "2026-01-20"}
    assert _good(io.StringIO(text)) == rows


def test_a_file_with_no_final_newline_keeps_its_last_row():
    assert _good(f"{HEADER}\r\nR-1,emergency,2026-01-05") == [
        (2, {"record_number": "R-1", "kind": "emergency", "occurred_on": "2026-01-05"})]
