"""Test settings: fast hashing, fixed keys; the database still comes from DATABASE_URL."""

from __future__ import annotations

import os
import tempfile

os.environ.setdefault("GRASSROOTS_VAR_DIR", tempfile.mkdtemp(prefix="grassroots-test-"))
os.environ.setdefault("SECRET_KEY", "test-secret-key-not-for-production-0123456789abcdef")
os.environ.setdefault("PERSONAL_DATA_KEY", "test-personal-data-key-0123456789")

from grassroots.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
AXES_ENABLED = True
LANGUAGE_CODE = "zh-hans"

HUEY = {**HUEY, "immediate": True}  # noqa: F405  # tasks run in the calling thread in tests
