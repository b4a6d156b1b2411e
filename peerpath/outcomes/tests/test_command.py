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
