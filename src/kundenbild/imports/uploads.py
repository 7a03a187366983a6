"""Uploads waiting between the check and the import, for the sales and master-data pages.

The file waits under the data directory (`uploads/`) under a random token tied to the
user, with a sidecar (`.json`) of what the page must remember about it: the original
file name, its headers, what it holds. Files abandoned for a day are removed.
"""

from __future__ import annotations

import json
import secrets
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.http import Http404

from kundenbild.accounts.requests import AuthenticatedRequest

UPLOAD_KEPT_SECONDS = 24 * 3600


def uploads_folder() -> Path:
    """The folder of waiting uploads; files abandoned for a day are removed."""
    folder = Path(settings.DATA_DIR) / "uploads"
    folder.mkdir(parents=True, exist_ok=True)
    stale_before = time.time() - UPLOAD_KEPT_SECONDS
    for waiting in folder.iterdir():
        if waiting.stat().st_mtime < stale_before:
            waiting.unlink(missing_ok=True)
    return folder


def upload_new_path(request: AuthenticatedRequest, file_name: str) -> tuple[str, Path]:
    """A fresh token and the path the user's upload of `file_name` waits at."""
    token = secrets.token_urlsafe(16)
    suffix = Path(file_name).suffix.lower()
    return token, uploads_folder() / f"u{request.user.pk}-{token}{suffix}"


def upload_path(request: AuthenticatedRequest, token: str) -> Path:
    """The waiting file of this user; 404 for anything else (no path tricks)."""
    if not token.replace("-", "").replace("_", "").isalnum():
        raise Http404
    matches = sorted(
        p for p in uploads_folder().glob(f"u{request.user.pk}-{token}.*") if p.suffix != ".json"
    )
    if not matches:
        raise Http404
    return matches[0]


def upload_store(upload: Any, path: Path) -> None:
    with path.open("wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)


def upload_discard(path: Path) -> None:
    path.unlink(missing_ok=True)
    _sidecar(path).unlink(missing_ok=True)


def upload_remember(path: Path, **facts: Any) -> None:
    """Keep facts (original file name, headers, content) next to the waiting upload."""
    known = upload_recall(path)
    _sidecar(path).write_text(json.dumps({**known, **facts}), encoding="utf-8")


def upload_recall(path: Path) -> dict[str, Any]:
    side = _sidecar(path)
    return json.loads(side.read_text(encoding="utf-8")) if side.exists() else {}


def _sidecar(path: Path) -> Path:
    return path.with_suffix(path.suffix + ".json")
