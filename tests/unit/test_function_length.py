"""No function of Kundenbild is longer than 80 lines (issue 19).

A longer function does several things one after another, and each of them deserves a
name: the analysis reads as a table of contents of its steps. Lines are counted from
`def` to the last line of the body, decorators excluded, nested functions and methods
each on their own (and in the function around them too).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import kundenbild

MAX_LINES = 80
SOURCE = Path(kundenbild.__file__).parent
# the demo's data, written out as code: each chain is one statement per stage and actor,
# and the line generator one pass of numbered random draws whose order fixes the demo
# (splitting it would change no behaviour but risk every generated book)
EXEMPT = {
    "demo/chains.py": "four problem-solving chains as data",
    "demo/generator.py": "the sales-line generator's draws in a fixed order",
}


def long_functions(source: str, *, limit: int = MAX_LINES) -> list[tuple[str, int]]:
    """Every function in `source` longer than `limit` lines: (qualified name, lines)."""
    found: list[tuple[str, int]] = []

    def visit(node: ast.AST, prefix: str) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                name = prefix + child.name
                assert child.end_lineno is not None
                lines = child.end_lineno - child.lineno + 1
                if lines > limit:
                    found.append((name, lines))
                visit(child, name + ".")
            elif isinstance(child, ast.ClassDef):
                visit(child, prefix + child.name + ".")
            else:
                visit(child, prefix)

    visit(ast.parse(source), "")
    return found


def _modules() -> list[Path]:
    return sorted(
        path
        for path in SOURCE.rglob("*.py")
        if "migrations" not in path.parts and str(path.relative_to(SOURCE)) not in EXEMPT
    )


@pytest.mark.parametrize("path", _modules(), ids=lambda path: str(path.relative_to(SOURCE.parent)))
def test_no_function_of_the_module_is_longer_than_80_lines(path: Path) -> None:
    found = long_functions(path.read_text(encoding="utf-8"))
    assert not found, "split into named steps: " + ", ".join(
        f"{path.relative_to(SOURCE.parent)}:{name} ({lines} lines)" for name, lines in found
    )


def test_the_lines_are_counted_from_def_to_the_end_of_the_body() -> None:
    body = "\n".join(f"    x{i} = {i}" for i in range(MAX_LINES - 2))
    just = f"@decorator\ndef fits():\n    '''Doc.'''\n{body}\n"
    longer = f"class Book:\n    def read(self):\n        pass\n{body}\n        return 1\n"
    assert long_functions(just) == []
    assert long_functions(longer.replace("\n    x", "\n        x")) == [
        ("Book.read", MAX_LINES + 1)
    ]


def test_every_package_is_held_to_it_and_the_exemptions_exist() -> None:
    held = {path.relative_to(SOURCE).parts[0] for path in _modules()}
    assert {"analytics", "cli", "customers", "imports", "profile", "demo"} <= held
    assert all((SOURCE / name).is_file() for name in EXEMPT)
