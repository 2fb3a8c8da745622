"""The layer rules of the house, read from the source with ast: a forbidden import, an
emit outside the publisher or a commit outside the services fails here, naming the file
and the line. (tests/domain/test_domain_purity.py keeps the domain's own rule per module.)"""

from __future__ import annotations

import ast
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

import facilitator

PACKAGE = Path(facilitator.__file__).parent
FRAMEWORKS = ("flask", "sqlalchemy", "socketio", "engineio", "eventlet", "werkzeug", "jinja2")

# layer (a folder of the package) -> the modules it must never import
FORBIDDEN: dict[str, tuple[str, ...]] = {
    "domain": (*FRAMEWORKS, "flask_"),
    "services": ("facilitator.web", "facilitator.realtime"),
    "models": ("facilitator.services", "facilitator.web"),
    "realtime": ("facilitator.web",),
    "exports": ("facilitator.web", "facilitator.realtime"),
}
EMITTER = "realtime/publisher.py"  # the one module that emits
COMMITTERS = "services/"  # the only modules that commit
# imports inside functions: only to keep a start light (the package's own import, the
# server's commands, heavy or optional libraries), never to hide a cycle
LAZY_ALLOWED = {
    ("__init__.py", "facilitator.wiring"),  # `import facilitator` stays light for the domain
    ("wiring.py", "facilitator.cli"),  # the server process runs no commands (no alembic)
    ("wiring.py", "flask_migrate"),
    ("wiring.py", "werkzeug.middleware.proxy_fix"),
    ("services/accounts.py", "zxcvbn.frequency_lists"),  # 30 MB of word lists, once
    ("web/health.py", "redis"),  # only with a message queue
    ("exports/pdf.py", "weasyprint"),  # Pango and fonts, only for a PDF
}


@dataclass(frozen=True)
class Violation:
    path: str
    line: int
    what: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.what}"


def _matches(module: str, prefix: str) -> bool:
    if prefix.endswith("_"):
        return module.startswith(prefix)
    return module == prefix or module.startswith(prefix + ".")


def _imports(tree: ast.AST) -> list[tuple[ast.stmt, list[str], bool]]:
    """(node, the modules it names, inside a function) for every import, however deep.
    `from a import b` names a and a.b (b may be a module)."""
    found: list[tuple[ast.stmt, list[str], bool]] = []

    def visit(node: ast.AST, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.Import):
                found.append((child, [alias.name for alias in child.names], in_function))
            elif isinstance(child, ast.ImportFrom) and child.level == 0 and child.module:
                names = [f"{child.module}.{alias.name}" for alias in child.names]
                found.append((child, [child.module, *names], in_function))
            function = isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef)
            visit(child, in_function or function)

    visit(tree, False)
    return found


def violations(relative: str, source: str) -> list[Violation]:
    """Every rule this module (its path inside the package, e.g. "services/x.py") breaks."""
    tree = ast.parse(source, filename=relative)
    layer = relative.split("/")[0] if "/" in relative else ""
    found: list[Violation] = []
    for node, modules, in_function in _imports(tree):
        for module in modules:
            for prefix in FORBIDDEN.get(layer, ()):
                if _matches(module, prefix):
                    found.append(Violation(relative, node.lineno, f"{layer} imports {module}"))
        if in_function and not any((relative, module) in LAZY_ALLOWED for module in modules):
            what = f"imports {modules[-1]} inside a function"
            found.append(Violation(relative, node.lineno, what))
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
            continue
        if node.func.attr == "emit" and relative != EMITTER:
            found.append(Violation(relative, node.lineno, "emits outside the publisher"))
        if node.func.attr == "commit" and not relative.startswith(COMMITTERS):
            found.append(Violation(relative, node.lineno, "commits outside the services"))
    return _unique(found)


def _unique(found: list[Violation]) -> list[Violation]:
    return list(dict.fromkeys(found))


def _modules() -> list[str]:
    return sorted(str(path.relative_to(PACKAGE)) for path in PACKAGE.rglob("*.py"))


@pytest.mark.parametrize("relative", _modules())
def test_module_keeps_the_layer_rules(relative):
    source = (PACKAGE / relative).read_text(encoding="utf-8")
    assert [str(v) for v in violations(relative, source)] == []


# --- the check itself can fail ---------------------------------------------------------


@pytest.mark.parametrize(
    ("relative", "source", "expected"),
    [
        ("domain/x.py", "import flask\n", "domain/x.py:1: domain imports flask"),
        ("domain/x.py", "from flask_login import current_user\n", "domain imports flask_login"),
        ("domain/x.py", "from sqlalchemy.orm import Session\n", "domain imports sqlalchemy.orm"),
        ("services/x.py", "from facilitator.realtime.publisher import close_sockets\n",
         "services imports facilitator.realtime.publisher"),
        ("services/x.py", "from facilitator.realtime import publisher\n",
         "services imports facilitator.realtime"),
        ("services/x.py", "import facilitator.web.guards\n", "services imports facilitator.web"),
        ("models/x.py", "from facilitator.services import audit\n",
         "models imports facilitator.services"),
        ("realtime/x.py", "from facilitator.web import guards\n",
         "realtime imports facilitator.web"),
        ("exports/x.py", "from facilitator.realtime import rooms\n",
         "exports imports facilitator.realtime"),
        ("web/x.py", "def f():\n    from facilitator.services import audit\n",
         "web/x.py:2: imports facilitator.services.audit inside a function"),
        ("services/x.py", "def f():\n    import json\n", "imports json inside a function"),
        ("web/x.py", "def f(s):\n    s.emit('event', {})\n",
         "web/x.py:2: emits outside the publisher"),
        ("realtime/handlers.py", "socketio.emit('x')\n", "emits outside the publisher"),
        ("realtime/publisher.py", "db.session.commit()\n", "commits outside the services"),
        ("web/x.py", "def f():\n    db.session.commit()\n", "commits outside the services"),
    ],
)  # fmt: skip
def test_a_broken_rule_is_named_with_its_file_and_import(relative, source, expected):
    assert any(expected in str(v) for v in violations(relative, source)), violations(
        relative, source
    )


@pytest.mark.parametrize(
    ("relative", "source"),
    [
        ("domain/x.py", "from facilitator.domain.actor import Actor\nimport re\n"),
        ("services/x.py", "from facilitator.services.ops import record\ndb.session.commit()\n"),
        ("realtime/publisher.py", "socketio.emit('event', {})\n"),
        ("web/x.py", "from facilitator.realtime import publisher\n"),
        ("domain/x.py", "import flaskish\n"),
        ("exports/pdf.py", "def f():\n    from weasyprint import HTML\n"),
    ],
)
def test_what_the_rules_allow_passes(relative, source):
    assert violations(relative, source) == []


def test_importing_the_socket_layer_registers_no_handler():
    """Registration is the factory's step (wiring.register_socket_handlers), never an
    import's side effect. A fresh interpreter: this one's app has registered them."""
    script = (
        "import pkgutil, importlib, facilitator.realtime as r\n"
        "for m in pkgutil.iter_modules(r.__path__):\n"
        "    importlib.import_module(f'{r.__name__}.{m.name}')\n"
        "from facilitator.extensions import socketio\n"
        "print(len(socketio.handlers))\n"
    )
    done = subprocess.run(
        [sys.executable, "-W", "ignore", "-c", script],
        capture_output=True, text=True, timeout=120, cwd=PACKAGE.parent, check=True,
    )  # fmt: skip
    assert done.stdout.strip() == "0"
