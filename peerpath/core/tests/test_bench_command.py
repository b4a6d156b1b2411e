from peerpath.core.management.commands.bench import Command


def test_options_after_the_benchmark_name_go_to_the_benchmark():
    parser = Command().create_parser("peerpath", "bench")

    options = parser.parse_args(["outcomes", "--clients", "500", "--runs", "1"])

    assert options.name == "outcomes"
    assert options.rest == ["--clients", "500", "--runs", "1"]


def test_an_invalid_benchmark_fails_the_run_after_the_others_ran(tmp_path, monkeypatch):
    import pytest
    from django.core.management import CommandError, call_command

    from peerpath.core.management.commands import bench

    (tmp_path / "a_invalid.py").write_text("def main(argv):\n    raise SystemExit(1)\n")
    (tmp_path / "b_valid.py").write_text(f"def main(argv):\n    open({str(tmp_path / 'ran')!r}, 'w').write('yes')\n")
    monkeypatch.setattr(bench, "BENCH_DIR", tmp_path)

    with pytest.raises(CommandError, match="invalid benchmark results: a_invalid"):
        call_command("bench", "all")
    assert (tmp_path / "ran").read_text() == "yes"
