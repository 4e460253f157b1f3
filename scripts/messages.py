"""The interface's texts: every ``_("…")`` msgid in bot/ and handlers/ (found with ``ast``: string
literals, implicitly concatenated ones included; for ``_(NAME)``, ``_(NAME[key])`` and the like,
the strings of the module-level constant NAME; and the command descriptions of ``COMMANDS``).

    python scripts/messages.py --check    exit 1 listing msgids a catalog lacks or leaves empty,
                                          and translations whose {placeholders} or tags differ
    python scripts/messages.py --update   add the missing msgids (empty msgstr) to the kk and en
                                          catalogs, keeping every existing translation
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.language.i18n import parse_po  # noqa: E402

LANGUAGES = ("kk", "en")
LOOPED = {"COMMANDS"}  # (command, description) pairs translated through a loop variable
HEADER = (
    'msgid ""\nmsgstr ""\n"Project-Id-Version: CoopBot\\n"\n"Language: {lang}\\n"\n'
    '"MIME-Version: 1.0\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n"Content-Transfer-Encoding: 8bit\\n"\n'
)
_MARKS = re.compile(r"\{\w*\}|</?[a-z-]+")


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [v for v in value.values() if isinstance(v, str)]
    if isinstance(value, list | tuple):  # (key, text) pairs: the texts
        return [item[-1] for item in value if isinstance(item, tuple) and isinstance(item[-1], str)]
    return []


def msgids() -> dict[str, str]:
    """msgid → where it is first used (path:line), in order of appearance."""
    found: dict[str, str] = {}
    constants: dict[str, list[str]] = {}
    named: dict[str, str] = dict.fromkeys(LOOPED, "bot/qa/views.py")
    for path in sorted([*ROOT.glob("bot/**/*.py"), *ROOT.glob("handlers/**/*.py")]):
        where = path.relative_to(ROOT).as_posix()
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:
            if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
                with contextlib.suppress(ValueError):
                    constants[node.targets[0].id] = _strings(ast.literal_eval(node.value))
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "_"):
                continue
            if len(node.args) != 1:
                continue
            arg = node.args[0]
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                found.setdefault(arg.value, f"{where}:{node.lineno}")
            for part in ast.walk(arg):
                name = part.id if isinstance(part, ast.Name) else part.attr if isinstance(part, ast.Attribute) else None
                if name:
                    named.setdefault(name, f"{where}:{node.lineno}")
    for name, where in named.items():
        for text in constants.get(name, []):
            found.setdefault(text, where)
    return found


def po_path(lang: str) -> Path:
    return ROOT / "data" / "locales" / lang / "LC_MESSAGES" / "messages.po"


def all_msgids(text: str) -> set[str]:
    """Every msgid of a .po file, translated or not."""
    ids: set[str] = set()
    parts: list[str] | None = None
    for line in [*text.splitlines(), ""]:
        line = line.strip()
        if line.startswith("msgid "):
            parts = [ast.literal_eval(line[6:])]
        elif line.startswith('"') and parts is not None:
            parts.append(ast.literal_eval(line))
        elif parts is not None:
            ids.add("".join(parts))
            parts = None
    return ids - {""}


def check(wanted: dict[str, str]) -> int:
    problems = 0
    for lang in LANGUAGES:
        path = po_path(lang)
        translated = parse_po(path.read_text(encoding="utf-8")) if path.exists() else {}
        for msgid, where in wanted.items():
            if msgid not in translated:
                problems += 1
                print(f"{lang}: missing ({where}): {msgid!r}")
            elif sorted(_MARKS.findall(msgid)) != sorted(_MARKS.findall(translated[msgid])):
                problems += 1
                print(f"{lang}: placeholders or tags differ ({where}): {msgid!r}")
    print(f"{len(wanted)} msgids; {problems} problems")
    return 1 if problems else 0


def update(wanted: dict[str, str]) -> None:
    for lang in LANGUAGES:
        path = po_path(lang)
        text = path.read_text(encoding="utf-8") if path.exists() else HEADER.replace("{lang}", lang)
        have = all_msgids(text)
        new = [(m, w) for m, w in wanted.items() if m not in have]
        entries = "".join(f'\n#: {w}\nmsgid {json.dumps(m, ensure_ascii=False)}\nmsgstr ""\n' for m, w in new)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text.rstrip("\n") + "\n" + entries, encoding="utf-8")
        print(f"{lang}: {len(new)} msgids added")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    action = parser.add_mutually_exclusive_group(required=True)
    action.add_argument("--check", action="store_true")
    action.add_argument("--update", action="store_true")
    args = parser.parse_args()
    wanted = msgids()
    if args.update:
        update(wanted)
        return 0
    return check(wanted)


if __name__ == "__main__":
    sys.exit(main())
