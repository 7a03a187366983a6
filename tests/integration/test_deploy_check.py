"""Django's deployment check is clean in the production configuration the README gives,
and it is not without it (so the check itself is meaningful)."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

KUNDENBILD = [sys.executable, "-m", "kundenbild.cli"]


def _check_deploy(tmp_path: Path, **production: str) -> subprocess.CompletedProcess[str]:
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("KUNDENBILD_", "DJANGO_"))
    }
    environment |= {
        "KUNDENBILD_DATA_DIR": str(tmp_path),
        "KUNDENBILD_SECRET_KEY": secrets.token_urlsafe(50),
        "KUNDENBILD_ALLOWED_HOSTS": "kundenbild.example.com",
        **production,
    }
    return subprocess.run(
        [*KUNDENBILD, "manage", "check", "--deploy", "--fail-level", "WARNING"],
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_documented_production_configuration_passes_the_deployment_check(
    tmp_path: Path,
) -> None:
    result = _check_deploy(tmp_path, KUNDENBILD_HTTPS="1")
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


def test_without_https_the_deployment_check_warns(tmp_path: Path) -> None:
    result = _check_deploy(tmp_path)
    assert result.returncode != 0
    assert "SECURE_SSL_REDIRECT" in result.stderr + result.stdout
