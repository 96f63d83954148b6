"""The Chinese catalogue is complete: every message id has a translation, none fuzzy, and it is compiled."""

from __future__ import annotations

import subprocess
from pathlib import Path

import polib
import pytest
from django.utils import translation

import grassroots

LOCALE = Path(grassroots.__file__).parent / "locale"
PO = LOCALE / "zh_Hans" / "LC_MESSAGES" / "django.po"


def test_chinese_catalogue_is_complete_and_not_fuzzy() -> None:
    catalogue = polib.pofile(str(PO))
    untranslated = [e.msgid for e in catalogue.untranslated_entries()]
    fuzzy = [e.msgid for e in catalogue.fuzzy_entries()]
    assert not untranslated, f"untranslated: {untranslated[:20]}"
    assert not fuzzy, f"fuzzy: {fuzzy[:20]}"
    assert len(catalogue) > 100


def test_compiled_catalogue_is_up_to_date() -> None:
    mo = PO.with_suffix(".mo")
    assert mo.exists(), "run: grassroots compilemessages"
    compiled = {_key(e): _translation(e) for e in polib.mofile(str(mo))}
    source = {_key(e): _translation(e) for e in polib.pofile(str(PO)) if e.translated() and not e.obsolete}
    assert compiled == source, "the .mo is stale: run grassroots compilemessages"


def _key(entry: polib.POEntry | polib.MOEntry) -> tuple[str | None, str, str]:
    # The context and the plural id are part of an entry's identity: "Mobile" (a phone column) and
    # "Mobile" in the context "party member category" are two entries with two translations.
    return (entry.msgctxt or None, entry.msgid, entry.msgid_plural or "")


def _translation(entry: polib.POEntry | polib.MOEntry) -> str | tuple[str, ...]:
    if entry.msgid_plural:
        return tuple(entry.msgstr_plural[i] for i in sorted(entry.msgstr_plural))
    return entry.msgstr


def test_every_message_in_the_code_is_in_the_catalogue(tmp_path: Path) -> None:
    """makemessages on the current code finds no message id the committed catalogue lacks."""
    if subprocess.run(["which", "xgettext"], capture_output=True, check=False).returncode != 0:
        pytest.skip("xgettext (gettext) is not installed")  # the completeness test above still runs
    import shutil

    src = Path(grassroots.__file__).parent
    work = tmp_path / "grassroots"
    shutil.copytree(src, work, ignore=shutil.ignore_patterns("__pycache__", "static"))
    (work / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po").unlink()
    subprocess.run(["xgettext", "--version"], capture_output=True, check=True)
    from django.core.management import call_command

    cwd = Path.cwd()
    try:
        import os

        os.chdir(work)
        call_command("makemessages", locale=["zh_Hans"], verbosity=0, no_obsolete=True)
    finally:
        os.chdir(cwd)
    fresh = {(e.msgctxt, e.msgid) for e in polib.pofile(str(work / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"))}
    committed = {(e.msgctxt, e.msgid) for e in polib.pofile(str(PO)) if not e.obsolete}
    missing = sorted(fresh - committed, key=lambda e: (e[0] or "", e[1]))
    assert not missing, f"message ids missing from the catalogue: {missing[:20]}"


def test_chinese_is_the_default_language() -> None:
    from grassroots.territory.enums import RegionKind

    with translation.override("zh-hans"):
        assert str(RegionKind.COMMUNITY.label) == "社区"
    with translation.override("en"):
        assert str(RegionKind.COMMUNITY.label) == "Community"
