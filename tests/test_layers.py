"""The apps point down only: positions at the bottom, the quiz and the statistics on top of it,
the statistics hearing of a completion through one entry point (`stats.recording`), and the
party round beside them, on top of positions only."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def imports(app: str) -> set[tuple[str, str]]:
    """(file, imported module) for every import in an app's code, tests and migrations aside."""
    found = set()
    for path in (ROOT / app).rglob("*.py"):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module and not node.level:
                found |= {
                    (str(path.relative_to(ROOT)), f"{node.module}.{a.name}") for a in node.names
                }
            elif isinstance(node, ast.Import):
                found |= {(str(path.relative_to(ROOT)), a.name) for a in node.names}
    return found


@pytest.mark.parametrize(
    ("app", "forbidden"),
    [
        ("positions", ("quiz", "stats", "parties")),
        ("stats", ("quiz", "parties")),
        ("quiz", ("parties",)),
        ("parties", ("quiz", "stats")),
    ],
)
def test_a_lower_app_imports_nothing_from_a_higher_one(app, forbidden):
    wrong = [(f, m) for f, m in imports(app) if m.split(".")[0] in forbidden]
    assert wrong == []


def test_the_quiz_uses_only_the_entry_point_of_the_statistics():
    used = {m for _, m in imports("quiz") if m.split(".")[0] == "stats"}
    assert used == {
        "stats.recording.CompletedQuiz",
        "stats.recording.client_key",
        "stats.recording.record_completion",
    }
