"""The layer rule of docs/ARCHITECTURE.md, checked on every import (lazy ones inside functions
too): a package imports only the layers below it, and only the app layer imports handlers."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# Each layer and what it may import besides itself. Lowest first.
ALLOWED: dict[str, set[str]] = {
    "bot.models": set(),
    "bot.settings": set(),
    "bot.language": {"bot.models"},
    "bot.text": {"bot.models", "bot.language"},
    "storage": {"bot.models"},
    "bot.qa": {"bot.models", "bot.language", "bot.text", "storage"},
    "bot.digests": {"bot.models", "bot.settings", "bot.language", "bot.text", "storage", "bot.qa"},
    "handlers": {"bot.models", "bot.settings", "bot.language", "bot.qa", "bot.digests"},
    "bot.app": {
        "bot.models",
        "bot.settings",
        "bot.language",
        "bot.text",
        "storage",
        "bot.qa",
        "bot.digests",
        "handlers",
    },
}


def layer_of(module: str) -> str | None:
    """The layer a dotted module name belongs to (the longest matching prefix)."""
    matches = [name for name in ALLOWED if module == name or module.startswith(name + ".")]
    return max(matches, key=len) if matches else None


def module_name(path: Path, root: Path = ROOT) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports(path: Path, root: Path = ROOT) -> list[tuple[int, str]]:
    """Every module the file imports, absolute, with its line."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    name = module_name(path, root)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                up = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*up, base]) if base else ".".join(up)
            found.append((node.lineno, base))
            if layer_of(base) is None:  # "from bot import models" names a module, not an attribute
                found += [(node.lineno, f"{base}.{alias.name}") for alias in node.names]
    return found


def violations(root: Path = ROOT) -> list[str]:
    out = []
    for folder in ("bot", "handlers", "storage"):
        for path in sorted((root / folder).rglob("*.py")):
            own = layer_of(module_name(path, root))
            if own is None:
                continue  # bot/__init__, bot/__main__: the entry points, above every layer
            for line, target in imports(path, root):
                layer = layer_of(target)
                if layer is None or layer == own:
                    continue
                if layer not in ALLOWED[own]:
                    out.append(f"{path.relative_to(root)}:{line}: {own} imports {target} ({layer})")
    return out


def test_every_module_has_a_layer():
    strays = [
        str(p.relative_to(ROOT))
        for folder in ("bot", "handlers", "storage")
        for p in (ROOT / folder).rglob("*.py")
        if layer_of(module_name(p)) is None and module_name(p) not in ("bot", "bot.__main__")
    ]
    assert strays == []


def test_no_layer_imports_a_higher_one():
    assert violations() == []


def test_the_check_catches_upward_imports(tmp_path):
    """The rule is not vacuous: storage importing the QA layer, a handler importing the text
    layer (relative and lazy imports too) are reported."""
    (tmp_path / "storage").mkdir()
    (tmp_path / "storage" / "probe.py").write_text("from bot.qa.engine import Engine\n", encoding="utf-8")
    (tmp_path / "handlers").mkdir()
    (tmp_path / "handlers" / "probe.py").write_text(
        "def f():\n    from bot import text\n    from bot.text.extract import Extractor\n", encoding="utf-8"
    )
    assert violations(tmp_path) == [
        "handlers/probe.py:2: handlers imports bot.text (bot.text)",
        "handlers/probe.py:3: handlers imports bot.text.extract (bot.text)",
        "storage/probe.py:1: storage imports bot.qa.engine (bot.qa)",
    ]


def test_the_architecture_names_every_module():
    """docs/ARCHITECTURE.md stays the living picture: a module added or moved is named there."""
    text = (ROOT / "docs" / "ARCHITECTURE.md").read_text(encoding="utf-8")
    missing = []
    for folder in ("bot/language", "bot/text", "bot/qa", "bot/digests", "bot/app", "handlers", "storage"):
        for path in sorted((ROOT / folder).glob("*.py")):
            if path.name != "__init__.py" and f"`{path.stem}`" not in text:
                missing.append(f"{folder}/{path.name}")
    assert not missing, missing
