"""The pure cores must never import Django or the web apps (ARCHITECTURE.md §2)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src" / "naervaer"
FORBIDDEN = (
    "django",
    "naervaer.web",
    "naervaer.org",
    "naervaer.absence",
    "naervaer.followup",
    "naervaer.insight",
    "naervaer.audit",
    "naervaer.api",
)


def _imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
    return names


@pytest.mark.parametrize("package", ["rules", "stats"])
def test_pure_core_imports_no_django(package: str) -> None:
    files = sorted((SRC / package).rglob("*.py"))
    assert files, f"no modules found in {package}/"
    offending = {
        str(f.relative_to(SRC)): name
        for f in files
        for name in _imports(f)
        if any(name == bad or name.startswith(bad + ".") for bad in FORBIDDEN)
    }
    assert offending == {}
