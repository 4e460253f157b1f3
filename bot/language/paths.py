"""Where the bundled reference data lives, in a checkout and in an installed package alike."""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path


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
