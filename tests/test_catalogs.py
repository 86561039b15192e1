"""The translation catalogs: complete, compiled, and in step with the code."""

import shutil
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.conf import settings
from django.core.management import call_command
from django.utils import translation

LOCALE = Path(settings.BASE_DIR) / "locale"
# As in the Makefile's `messages` target: what makemessages does not read.
IGNORED = ["node_modules", "tests", "staticfiles", "media"]


def catalog(path):
    with open(path, "rb") as file:
        return read_po(file)


def po_file(language):
    return LOCALE / language / "LC_MESSAGES" / "django.po"


def keys(messages):
    """(context, msgid) of every entry; a plural entry by its singular msgid."""
    return {
        (message.context, message.id[0] if message.pluralizable else message.id)
        for message in messages
        if message.id
    }


def test_every_japanese_entry_is_translated_and_none_is_fuzzy():
    japanese = catalog(po_file("ja"))

    untranslated = [
        m.id for m in japanese if m.id and not all(m.string if m.pluralizable else [m.string])
    ]
    fuzzy = [m.id for m in japanese if m.id and m.fuzzy]

    assert len(japanese) > 200
    assert not japanese.fuzzy
    assert untranslated == []
    assert fuzzy == []


def test_every_japanese_translation_keeps_the_placeholders_of_its_msgid():
    errors = [(message.id, error) for message, error in catalog(po_file("ja")).check()]

    assert errors == []


def test_both_catalogs_hold_the_same_msgids():
    assert keys(catalog(po_file("ja"))) == keys(catalog(po_file("en")))


def test_django_reads_every_japanese_translation_from_the_compiled_catalog():
    """Fails when the .mo is missing or older than the .po: run `make install`."""
    stale = []
    with translation.override("ja"):
        for message in catalog(po_file("ja")):
            if not message.id:
                continue
            if message.pluralizable:
                shown = (
                    translation.npgettext(message.context, *message.id, 1)
                    if message.context
                    else translation.ngettext(*message.id, 1)
                )
                expected = message.string[0]
            else:
                shown = (
                    translation.pgettext(message.context, message.id)
                    if message.context
                    else translation.gettext(message.id)
                )
                expected = message.string
            if shown != expected:
                stale.append(message.id)

    assert stale == []


@pytest.mark.skipif(
    shutil.which("xgettext") is None or shutil.which("msgmerge") is None,
    reason="makemessages needs GNU gettext's xgettext and msgmerge, a developer's tools",
)
def test_a_new_run_of_makemessages_would_change_no_msgid(tmp_path, settings, monkeypatch):
    # makemessages writes into the locale folder beside the sources it reads: read the
    # project through links from a scratch folder, so that its output lands there.
    for entry in Path(settings.BASE_DIR).iterdir():
        if not entry.name.startswith(".") and entry.name not in {"locale", *IGNORED}:
            (tmp_path / entry.name).symlink_to(entry)
    (tmp_path / "locale").mkdir()
    settings.LOCALE_PATHS = [tmp_path / "locale"]
    monkeypatch.chdir(tmp_path)

    call_command(
        "makemessages",
        locale=["ja"],
        symlinks=True,
        ignore_patterns=IGNORED,
        verbosity=0,
    )

    extracted = keys(catalog(tmp_path / "locale" / "ja" / "LC_MESSAGES" / "django.po"))
    catalogued = keys(catalog(po_file("ja")))
    assert extracted - catalogued == set(), "new msgids: run `make messages`, translate them"
    assert catalogued - extracted == set(), "msgids gone from the code: run `make messages`"
