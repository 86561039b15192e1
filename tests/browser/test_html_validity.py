"""The Nu HTML Checker finds no error in the HTML of any page type, in either language."""

import json
import subprocess
import tempfile
import warnings
from pathlib import Path

import pytest

from tests.browser.conftest import LANGUAGES, PAGES, VNU, page_path, require_vnu

pytestmark = pytest.mark.browser

# Fed to the checker with the pages, so that a checker that reports nothing fails the test.
INVALID_DOCUMENT = b'<!DOCTYPE html><html lang="en"><title>t</title><p><div></div></p></html>'


def nu_check(documents: dict[str, bytes]) -> dict[str, list[dict]]:
    """The checker's messages for each named document, from one run of the JVM."""
    with tempfile.TemporaryDirectory() as folder:
        names = {}
        for number, (name, html) in enumerate(documents.items()):
            path = Path(folder) / f"{number:02d}.html"
            path.write_bytes(html)
            names[str(path)] = name
        # Exit status 1 only says that some document has errors: the JSON says which.
        result = subprocess.run(
            ["java", "-jar", str(VNU), "--format", "json", "--stdout", *names],
            capture_output=True,
            timeout=120,
            check=False,
        )
    messages = {name: [] for name in documents}
    for message in json.loads(result.stdout)["messages"]:
        messages[names[message["url"].removeprefix("file:")]].append(message)
    return messages


def is_error(message: dict) -> bool:
    return message["type"] in {"error", "non-document-error"}


def describe(messages: list[dict]) -> str:
    return "\n".join(
        f"  line {message.get('lastLine', '?')}: {message['message']} "
        f"[{' '.join(message.get('extract', '').split())}]"
        for message in messages
    )


def test_every_page_type_is_valid_html(client, site_data):
    require_vnu()
    documents = {"invalid document": INVALID_DOCUMENT}
    for language in LANGUAGES:
        for name in PAGES:
            path = page_path(name, language)
            response = client.get(path)
            assert response.status_code == (404 if name == "not found" else 200), path
            documents[path] = response.content

    messages = nu_check(documents)

    assert any(map(is_error, messages.pop("invalid document")))
    warned = {path: [m for m in found if not is_error(m)] for path, found in messages.items()}
    if any(warned.values()):
        warnings.warn(
            "Nu HTML Checker warnings:\n"
            + "\n".join(f"{path}\n{describe(found)}" for path, found in warned.items() if found),
            stacklevel=1,
        )
    errors = {path: [m for m in found if is_error(m)] for path, found in messages.items()}
    assert not any(errors.values()), "\n".join(
        f"{path}\n{describe(found)}" for path, found in errors.items() if found
    )
