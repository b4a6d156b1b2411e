from peerpath.core.management.commands.bench import Command


def test_options_after_the_benchmark_name_go_to_the_benchmark():
    parser = Command().create_parser("peerpath", "bench")

    options = parser.parse_args(["outcomes", "--clients", "500", "--runs", "1"])

    assert options.name == "outcomes"
    assert options.rest == ["--clients", "500", "--runs", "1"]
