"""Production settings pass Django's deployment checks, with warnings counted as failures."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def _grassroots(args: list[str], tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "SECRET_KEY", "DEBUG", "PERSONAL_DATA_KEY", "GRASSROOTS_"))
    }
    clean.update({"GRASSROOTS_VAR_DIR": str(tmp_path), **env})
    clean.pop("DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "-m", "grassroots", *args], capture_output=True, text=True, env=clean, timeout=120, check=False
    )


def test_check_deploy_is_clean_in_production_mode(tmp_path: Path) -> None:
    result = _grassroots(
        ["check", "--deploy", "--fail-level", "WARNING"],
        tmp_path,
        SECURE_SSL_REDIRECT="1",
        SECURE_COOKIES="1",
        SECURE_HSTS_SECONDS="31536000",
        PORTAL_DEMO_SHOW_CODE="0",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_flags_an_insecure_setup(tmp_path: Path) -> None:
    result = _grassroots(["check", "--deploy", "--fail-level", "WARNING"], tmp_path)
    assert result.returncode != 0
    assert "SECURE_HSTS_SECONDS" in result.stdout + result.stderr
    assert "grassroots.W001" in result.stdout + result.stderr  # sign-in codes shown on the page


def test_keys_are_generated_once_into_the_var_dir(tmp_path: Path) -> None:
    first = _grassroots(["check"], tmp_path)
    assert first.returncode == 0, first.stderr
    secret = (tmp_path / "secret_key").read_text()
    personal = (tmp_path / "personal_data_key").read_text()
    assert len(secret) >= 50 and len(personal) >= 40 and secret != personal
    assert oct((tmp_path / "secret_key").stat().st_mode)[-3:] == "600"
    _grassroots(["check"], tmp_path)
    assert (tmp_path / "secret_key").read_text() == secret


def test_sqlite_runs_in_wal_mode(tmp_path: Path) -> None:
    result = _grassroots(
        [
            "shell",
            "--no-imports",
            "-c",
            "from django.db import connection; c = connection.cursor(); "
            "c.execute('PRAGMA journal_mode'); print(c.fetchone()[0])",
        ],
        tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "wal"
