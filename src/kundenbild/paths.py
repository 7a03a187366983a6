"""Where Kundenbild keeps its files; importable without loading the Django settings."""

from __future__ import annotations

import os
from pathlib import Path


def default_data_dir() -> Path:
    """Where Kundenbild keeps its database and secret key unless told otherwise."""
    xdg = os.environ.get("XDG_DATA_HOME")
    base = Path(xdg) if xdg else Path.home() / ".local" / "share"
    return base / "kundenbild"
