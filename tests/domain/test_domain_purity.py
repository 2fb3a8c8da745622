"""The domain stays pure: no web, database or socket framework inside it."""

import ast
from pathlib import Path

import pytest

import facilitator.domain

DOMAIN = Path(facilitator.domain.__file__).parent
FORBIDDEN = ("flask", "sqlalchemy", "socketio", "engineio", "eventlet")


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def is_forbidden(module: str) -> bool:
    top = module.split(".")[0]
    return top in FORBIDDEN or top.startswith("flask_")


def test_forbidden_check_recognises_frameworks():
    assert all(is_forbidden(m) for m in ("flask", "flask_login", "sqlalchemy.orm", "socketio"))
    assert not any(is_forbidden(m) for m in ("re", "facilitator.domain.limits", "flaskish"))


@pytest.mark.parametrize(
    "path", sorted(DOMAIN.rglob("*.py")), ids=lambda p: str(p.relative_to(DOMAIN))
)
def test_domain_module_imports_no_framework(path):
    assert not {m for m in imported_modules(path) if is_forbidden(m)}


def test_domain_imports_only_from_the_domain_within_facilitator():
    for path in DOMAIN.rglob("*.py"):
        own = {m for m in imported_modules(path) if m.startswith("facilitator")}
        assert all(m.startswith("facilitator.domain") for m in own), path
