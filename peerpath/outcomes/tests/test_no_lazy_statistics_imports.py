"""Issue 10 point 17: the evaluation failed with a 500 in a fresh worker because the cost analysis ran in a
thread while Kaplan–Meier ran, and lifelines/scipy/statsmodels were imported lazily inside functions. This
sweep keeps both out of the code: no statistics library imported inside a function, and no thread or
executor started by the evaluation."""

import ast
import threading
from pathlib import Path

import pytest

import peerpath

LIBRARIES = {"lifelines", "scipy", "statsmodels", "autograd", "autograd_gamma", "formulaic", "pandas", "numpy"}
THREADING = {"threading", "concurrent", "concurrent.futures", "multiprocessing"}
ROOT = Path(peerpath.__file__).parent


def _sources():
    for path in sorted(ROOT.rglob("*.py")):
        if "tests" not in path.parts and "migrations" not in path.parts:
            yield path, ast.parse(path.read_text(encoding="utf-8"))


def _imported(node):
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
        return [node.module]
    return []


def test_no_statistics_library_is_imported_inside_a_function():
    lazy = []
    for path, tree in _sources():
        for function in ast.walk(tree):
            if isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                for node in ast.walk(function):
                    lazy += [f"{path.relative_to(ROOT)}:{node.lineno} {name}" for name in _imported(node)
                             if name.split(".")[0] in LIBRARIES]
    assert lazy == []


def test_the_outcomes_app_starts_no_thread_or_executor():
    used = [f"{path.relative_to(ROOT)}:{node.lineno} {name}" for path, tree in _sources()
            if "outcomes" in path.parts for node in ast.walk(tree) for name in _imported(node)
            if name in THREADING or name.split(".")[0] in THREADING]
    assert used == []


@pytest.mark.django_db
def test_the_evaluation_runs_in_the_requests_own_thread(world, login, monkeypatch):
    from peerpath.outcomes.tests.factories import build_cohorts

    build_cohorts(world.a, n_peer=14, n_comparison=14, peer_readmit_days=list(range(5, 65, 5)))
    started = []
    monkeypatch.setattr(threading.Thread, "start", lambda self: started.append(self.name))
    response = login(world.a.users["leader"]).get("/outcomes/evaluation/")
    assert response.status_code == 200
    assert started == []
