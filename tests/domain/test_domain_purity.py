"""The domain imports nothing but the standard library, itself and pure libraries of rules (the
architecture's first rule)."""

import ast
import sys
from pathlib import Path

import frontdesk.domain

DOMAIN = Path(frontdesk.domain.__file__).parent
PURE_LIBRARIES = {"phonenumbers"}  # every country's numbering plan: data and rules, no I/O


def imported_roots(path: Path) -> set[str]:
    roots = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            roots |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            roots.add(node.module)
    return roots


def test_domain_imports_only_the_standard_library():
    modules = sorted(DOMAIN.glob("*.py"))
    assert {m.name for m in modules} >= {"money.py", "terms.py", "periods.py", "coverage.py", "describe.py"}
    for module in modules:
        for name in imported_roots(module):
            root = name.split(".")[0]
            allowed = name.startswith("frontdesk.domain") or root in sys.stdlib_module_names or root in PURE_LIBRARIES
            assert allowed, f"{module.name} imports {name}"


def test_public_names_are_reexported():
    for name in ("covers", "rank", "default_choice", "summary", "validate_terms", "parse_money", "format_money",
                 "currency_for", "add_period", "valid_until", "status", "describe_balance", "describe_expiry",
                 "describe_restrictions", "format_duration", "Terms", "HoldingStatus"):
        assert name in frontdesk.domain.__all__ and hasattr(frontdesk.domain, name)


def test_every_import_is_at_the_top_of_its_module():
    """No import hides inside a function or behind `if TYPE_CHECKING:` to dodge a cycle."""
    for module in sorted(DOMAIN.glob("*.py")):
        tree = ast.parse(module.read_text(encoding="utf-8"))
        top = {id(node) for node in tree.body}
        for node in ast.walk(tree):
            if isinstance(node, ast.Import | ast.ImportFrom):
                assert id(node) in top, f"{module.name}:{node.lineno} imports below the top level"
