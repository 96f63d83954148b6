from __future__ import annotations

from typing import Any

import pytest

from grassroots.catalogue.services import catalogue_install_defaults


@pytest.fixture
def catalogue(db: Any) -> int:
    return catalogue_install_defaults()
