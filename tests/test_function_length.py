"""No function in `extractor/` is longer than 80 lines (issue 16): a reader should take in a
function in one sitting. A longer one is split into named steps, not excused."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent.parent / "extractor"
MAX_LINES = 80



def long_functions(package_dir: Path = PACKAGE_DIR, limit: int = MAX_LINES) -> dict[str, int]:
    """Every function longer than `limit`, nested ones included: "file:Class.function" → its
    length in lines, from the def line to its last line."""
    found = {}
    for path in sorted(package_dir.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        where = path.relative_to(package_dir.parent).as_posix()
        stack: list[tuple[ast.AST, str]] = [(tree, "")]
        while stack:  # each node once: the AST is a finite tree
            node, prefix = stack.pop()
            for child in ast.iter_child_nodes(node):
                name = prefix
                if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                    name = f"{prefix}{child.name}"
                    if not isinstance(child, ast.ClassDef):
                        length = child.end_lineno - child.lineno + 1
                        if length > limit:
                            found[f"{where}:{name}"] = length
                    name += "."
                stack.append((child, name))
    return found


def test_no_function_is_longer_than_80_lines():
    too_long = {name: length for name, length in long_functions().items()}
    assert not too_long, f"functions over {MAX_LINES} lines (split them into named steps): {too_long}"


def test_the_check_sees_a_long_function(tmp_path):
    package = tmp_path / "extractor"
    package.mkdir()
    body = "\n".join(f"        x{i} = {i}" for i in range(80))
    (package / "long.py").write_text(f"class A:\n    def f(self):\n{body}\n\n\ndef g():\n    return 1\n", encoding="utf-8")
    assert long_functions(package) == {"extractor/long.py:A.f": 81}
