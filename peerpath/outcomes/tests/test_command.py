import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from peerpath.outcomes.tests.test_analysis import E_6MP, T_6MP, T_PLACEBO


def _run(*args):
    out = io.StringIO()
    call_command("analyze", *args, stdout=out)
    return json.loads(out.getvalue())


def test_analyze_km_prints_published_gehan_values(tmp_path):
    lines = ["client_id,group,time_days,event"]
    lines += [f"m{i},peer,{t},{e}" for i, (t, e) in enumerate(zip(T_6MP, E_6MP, strict=True))]
    lines += [f"p{i},comparison,{t},1" for i, t in enumerate(T_PLACEBO)]
    path = tmp_path / "gehan.csv"
    path.write_text("\n".join(lines) + "\n")
    result = _run("km", str(path), "--min-cell", "1")
    assert result["rows"] == 42
    assert result["result"]["logrank"]["statistic"] == pytest.approx(16.793, abs=5e-4)
    assert result["result"]["groups"]["comparison"]["median_days"] == 8.0


def test_analyze_prepost_and_did(tmp_path):
    prepost = tmp_path / "prepost.csv"
    prepost.write_text("client_id,group,measure,pre,post\n" + "".join(
        f"c{i},peer,PHQ-9,{15 + i % 5},{9 + i % 4}\n" for i in range(20)))
    result = _run("prepost", str(prepost))["result"]["measures"]
    assert result[0]["measure"] == "PHQ-9" and result[0]["n"] == 20
    assert result[0]["reliable_change"]["reliability"] == 0.89
    did = tmp_path / "did.csv"
    did.write_text("client_id,group,period,outcome\n" + "".join(
        f"{g}{i},{g},{p},{v}\n" for g, shift in (("peer", -1.0), ("comparison", 0.0)) for i in range(12)
        for p, v in (("pre", 2.0 + i / 10), ("post", 2.0 + i / 10 + shift + (i % 3) / 10))))
    estimate = _run("did", str(did))["result"]["estimate"]
    assert estimate["did"] == pytest.approx(-1.0, abs=1e-4)
    assert estimate["n_clients"] == 24


def test_analyze_bad_file_names_row_and_column(tmp_path, capsys):
    path = tmp_path / "bad.csv"
    path.write_text("client_id,group,time_days,event\n1,peer,3,1\n2,peer,x,1\n3,placebo,4,0\n")
    err = io.StringIO()
    with pytest.raises(SystemExit) as excinfo:
        call_command("analyze", "km", str(path), stderr=err)
    assert excinfo.value.code == 2
    assert "row 3, column 'time_days': 'x' is not a number" in err.getvalue()
    assert "row 4, column 'group': 'placebo' is not 'peer' or 'comparison'" in err.getvalue()


def test_analyze_missing_column(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("client_id,group,measure,pre\n1,peer,PHQ-9,3\n")
    err = io.StringIO()
    with pytest.raises(SystemExit):
        call_command("analyze", "prepost", str(path), stderr=err)
    assert "row 1, column 'post': required column is missing from the header" in err.getvalue()


@pytest.mark.parametrize("value", ["0", "-3", "x"])
def test_min_cell_must_be_a_positive_whole_number(tmp_path, value):
    path = tmp_path / "km.csv"
    path.write_text("client_id,group,time_days,event\n1,peer,4,1\n")
    with pytest.raises(CommandError) as excinfo:
        call_command("analyze", "km", str(path), "--min-cell", value)
    assert "--min-cell" in str(excinfo.value)


# ---------------------------------------------------------------- issue 12 point 10: input files

def _errors(tmp_path, kind, text, *args):
    path = tmp_path / "data.csv"
    path.write_bytes(text.encode() if isinstance(text, str) else text)
    err = io.StringIO()
    with pytest.raises(SystemExit) as excinfo:
        call_command("analyze", kind, str(path), *args, stderr=err)
    assert excinfo.value.code == 2
    return err.getvalue()


DID = "client_id,group,period,outcome\n"


@pytest.mark.parametrize("value", [0, -3])
def test_min_cell_zero_or_negative_given_in_code_is_a_clear_error(tmp_path, value):
    path = tmp_path / "km.csv"
    path.write_text("client_id,group,time_days,event\n1,peer,4,1\n")
    with pytest.raises(CommandError) as excinfo:
        call_command("analyze", "km", str(path), min_cell=value)
    assert str(excinfo.value) == f"--min-cell must be a whole number of at least 1 (1 shows every count), not {value}"


def test_a_trailing_comma_or_extra_field_blames_the_last_column_on_its_own_line(tmp_path):
    err = _errors(tmp_path, "did", DID + "c1,peer,pre,2\nc1,peer,post,1,\nc2,peer,pre,3,9\n")
    assert "row 3, column 'outcome': This row has 5 fields but the header has 4 columns: remove the trailing comma" in err
    assert "row 4, column 'outcome': This row has 5 fields but the header has 4 columns: the value '9'" in err
    assert "client_id" not in err.split("cannot analyse this file:")[1].split("\n")[1]


def test_row_numbers_after_blank_lines_are_the_files_lines(tmp_path):
    err = _errors(tmp_path, "did", DID + "\nc1,peer,pre,2\n\n\nc1,peer,during,1\n")
    assert "row 6, column 'period': 'during' is not 'pre' or 'post'" in err


def test_an_unclosed_quote_names_its_row(tmp_path):
    err = _errors(tmp_path, "did", DID + 'c1,peer,pre,2\n"c2,peer,pre,3\nc3,peer,pre,4\n')
    assert "row 3, column '(row)': The quote opened in column client_id is not closed on this line" in err


@pytest.mark.parametrize(("delimiter", "named"), [(";", "';' (semicolon)"), ("\t", "a tab")])
def test_a_semicolon_or_tab_file_says_the_delimiter_looks_wrong(tmp_path, delimiter, named):
    text = "\n".join(delimiter.join(r) for r in [("client_id", "group", "period", "outcome"), ("c1", "peer", "pre", "2")])
    err = _errors(tmp_path, "did", text + "\n")
    assert f"The delimiter looks like {named}, not a comma" in err
    assert "missing" not in err


def test_a_score_outside_a_known_measures_range_is_refused_naming_the_row(tmp_path):
    err = _errors(tmp_path, "prepost", "client_id,group,measure,pre,post\nc1,peer,PHQ-9,14,9\nc2,peer,PHQ-9,99,9\n"
                                       "c3,peer,gad7,10,-1\nc4,peer,My own scale,99,-5\n")
    assert "row 3, column 'pre': 99 is outside the PHQ-9 score range 0–27" in err
    assert "row 4, column 'post': -1 is outside the GAD-7 score range 0–21" in err
    assert "row 5" not in err  # an unknown measure has no known range


def test_the_same_client_in_both_did_groups_is_refused_naming_both_rows(tmp_path):
    err = _errors(tmp_path, "did", DID + "c1,peer,pre,2\nc2,comparison,pre,2\nc1,comparison,post,1\n")
    assert ("row 4, column 'group': client 'c1' is in group 'comparison' here but in 'peer' on row 2; "
            "a client is in one group only") in err


def test_negative_did_outcomes_are_any_finite_number(tmp_path):
    did = tmp_path / "did.csv"
    did.write_text(DID + "".join(f"{g}{i},{g},{p},{v}\n" for g, shift in (("peer", -1.0), ("comparison", 0.0))
                                 for i in range(12) for p, v in (("pre", -2.0 + i / 10), ("post", -2.0 + i / 10 + shift))))
    estimate = _run("did", str(did))["result"]["estimate"]
    assert estimate["did"] == pytest.approx(-1.0, abs=1e-4)
    err = _errors(tmp_path, "did", DID + "c1,peer,pre,inf\nc1,peer,post,nan\n")
    assert "row 2, column 'outcome': 'inf' is not a number" in err
    assert "row 3, column 'outcome': 'nan' is not a number" in err


def test_a_bom_is_dropped_and_a_file_with_bare_cr_line_endings_is_refused_saying_how_to_save_it(tmp_path):
    lines = ["client_id,group,measure,pre,post"] + [f"c{i},peer,PHQ-9,{15 + i % 5},{9 + i % 4}" for i in range(20)]
    plain = tmp_path / "plain.csv"
    plain.write_text("\n".join(lines) + "\n")
    bom = tmp_path / "bom.csv"
    bom.write_bytes(b"\xef\xbb\xbf" + "\r\n".join(lines).encode())
    assert _run("prepost", str(bom))["result"] == _run("prepost", str(plain))["result"]
    err = _errors(tmp_path, "prepost", b"\xef\xbb\xbf" + "\r".join(lines).encode())
    assert "row 1, column '(header)': The header row contains a carriage return (CR) without a line feed" in err
