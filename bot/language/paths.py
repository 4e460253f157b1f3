"""Where the bundled reference data lives, in a checkout and in an installed package alike."""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path
from typing import Any

import yaml


def data_dir() -> Path:
    """The ``data/`` folder: ``COOPBOT_DATA_DIR`` if set, else the installed or checked-out copy."""
    override = os.environ.get("COOPBOT_DATA_DIR")
    if override:
        return Path(override)
    try:
        installed = Path(str(resources.files("coopbot_data")))
        if (installed / "gazetteer").is_dir():
            return installed
    except ModuleNotFoundError:
        pass
    return Path(__file__).resolve().parents[2] / "data"


# libyaml's parser is ~10x faster than the pure-Python one: front matter is read once per
# ingested article and the registry once per start
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(text: str) -> Any:
    """YAML text as plain data (safe: no tags that build objects)."""
    return yaml.load(text, Loader=_LOADER)  # noqa: S506 - a safe loader


def read_yaml(path: Path) -> Any:
    """A YAML file of ``data/`` (or an operator's) as plain data."""
    return load_yaml(path.read_text(encoding="utf-8"))
