"""The tools of the browser tests, and the checks that run them.

The tools come from `make browser-deps` (scripts/install-browser.sh). Without them the
browser tests skip, so that a newcomer's `make test` passes; in CI (CI=true) they fail.
"""

import json
import os
import shutil
import subprocess
import tempfile
import warnings
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE = ROOT / "node_modules/axe-core/axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
VNU = ROOT / "node_modules/vnu-jar/build/dist/vnu.jar"


def require(**tools: bool) -> None:
    """Skip (fail in CI) unless every named tool is present."""
    missing = sorted(name for name, present in tools.items() if not present)
    if not missing:
        return
    message = f"{', '.join(missing)} missing: run `make browser-deps` (as root) to install it"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message)
    pytest.skip(message)


def require_chromium() -> None:
    require(chromium=CHROMIUM.is_file(), axe_core=AXE.is_file())


def require_vnu() -> None:
    require(java=shutil.which("java") is not None, vnu_jar=VNU.is_file())


# --- Content-Security-Policy -------------------------------------------------

CSP_REPORTER = """
document.addEventListener("securitypolicyviolation", event => {
  console.error(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI || "inline"}`
                + ` at ${event.sourceFile || document.URL}:${event.lineNumber}`);
});
"""


def watch_csp_violations(page) -> list[str]:
    """Collect every Content-Security-Policy violation the page reports to its console
    (Chromium's own "Refused to …" message and the securitypolicyviolation event)."""
    found: list[str] = []
    page.add_init_script(CSP_REPORTER)

    def on_console(message):
        text = message.text
        if message.type == "error" and ("Content Security Policy" in text or "CSP" in text):
            found.append(f"{page.url}: {text}")

    page.on("console", on_console)
    return found


# --- axe-core -----------------------------------------------------------------


AXE_ROUTE = "/__browser-tests__/axe.min.js"


def axe_violations(page) -> list[dict]:
    """axe-core's WCAG 2.1 A and AA violations on the page as it is now.

    axe is loaded from the page's own origin (a route of the browser's, never the
    server's): an inline script would break the page's Content-Security-Policy, and the
    tests must not switch it off.
    """
    origin = "/".join(page.url.split("/")[:3])
    page.route(
        f"{origin}{AXE_ROUTE}",
        lambda route: route.fulfill(path=str(AXE), content_type="text/javascript"),
    )
    page.add_script_tag(url=f"{origin}{AXE_ROUTE}")
    return page.evaluate(
        """tags => axe.run(document, {runOnly: {type: "tag", values: tags},
                                      resultTypes: ["violations"]})
                    .then(results => results.violations)""",
        AXE_TAGS,
    )


def by_page(found: dict[str, list[dict]], lines) -> str:
    """Each page where something was found, then ``lines(item)`` for each item, indented."""
    return "\n".join(
        f"{page}\n" + "\n".join(f"  {line}" for item in items for line in lines(item))
        for page, items in found.items()
        if items
    )


def describe_violations(found: dict[str, list[dict]]) -> str:
    """Per page, one line per offending element: rule id, impact, selector, what is wanted."""
    return by_page(
        found,
        lambda violation: (
            f"{violation['id']} ({violation['impact']}) "
            f"{' '.join(map(str, node['target']))}: {violation['help']}"
            for node in violation["nodes"]
        ),
    )


# --- Nu HTML Checker ----------------------------------------------------------

# Checked with the pages, so that a checker that reports nothing fails the test.
INVALID_DOCUMENT = b'<!DOCTYPE html><html lang="en"><title>t</title><p><div></div></p></html>'


def nu_check(documents: dict[str, bytes]) -> dict[str, list[dict]]:
    """The checker's messages for each named document, from one run of the JVM."""
    require_vnu()
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


def describe_messages(found: dict[str, list[dict]]) -> str:
    """Per document, one line per message: its line, what it says, the source around it."""
    return by_page(
        found,
        lambda message: [
            f"line {message.get('lastLine', '?')}: {message['message']} "
            f"[{' '.join(message.get('extract', '').split())}]"
        ],
    )


def assert_valid(documents: dict[str, bytes]) -> None:
    """No checker error in any document; its warnings are shown, not failed on."""
    messages = nu_check({"invalid document": INVALID_DOCUMENT, **documents})

    assert any(map(is_error, messages.pop("invalid document"))), "the checker saw no error"
    warned = {name: [m for m in found if not is_error(m)] for name, found in messages.items()}
    if any(warned.values()):
        warnings.warn(f"Nu HTML Checker warnings:\n{describe_messages(warned)}", stacklevel=2)
    errors = {name: [m for m in found if is_error(m)] for name, found in messages.items()}
    assert not any(errors.values()), describe_messages(errors)


# --- Keyboard -----------------------------------------------------------------

# Marks every element that should be in the tab order and records how it looks unfocused.
MARK_FOCUSABLE = """() => {
  const selector = 'a[href], button, input, select, textarea, summary, [tabindex]';
  // Tab stops once in a group of radio buttons: on the checked one, else on the first.
  const radioStop = element => {
    const group = [...(element.form ?? document).querySelectorAll('input[type=radio]')]
      .filter(radio => radio.name === element.name);
    return element === (group.find(radio => radio.checked) ?? group[0]);
  };
  const candidates = [...document.querySelectorAll(selector)].filter(element =>
    element.tabIndex >= 0 && !element.disabled && element.type !== 'hidden'
    && (element.type !== 'radio' || radioStop(element))
    && element.getClientRects().length > 0);
  candidates.forEach((element, index) => { element.dataset.keyboardIndex = index; });
  return candidates.length;
}"""

FOCUS_LOOK = """element => {
  const style = getComputedStyle(element);
  return [style.outlineStyle, style.outlineWidth, style.outlineColor, style.boxShadow,
          style.textDecorationLine, style.backgroundColor, style.color].join(' | ');
}"""

# What the focused element is, whether a focus indicator is drawn, and whether it is on screen.
FOCUSED = """() => {
  const element = document.activeElement;
  const style = getComputedStyle(element);
  const box = element.getBoundingClientRect();
  return {
    index: element.dataset.keyboardIndex ?? null,
    id: element.id,
    tag: element.tagName.toLowerCase(),
    text: (element.innerText || element.value || '').trim().slice(0, 40),
    hasRing: (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0)
             || style.boxShadow !== 'none',
    onScreen: box.width > 0 && box.height > 0 && box.bottom > 0 && box.right > 0
              && box.top < innerHeight && box.left < innerWidth,
  };
}"""


def assert_every_interactive_element_is_reached_with_a_visible_focus(page) -> None:
    """Tab from the top of the page reaches each interactive element once, in turn, each
    with an outline or shadow that it has only when focused, and scrolled into view."""
    count = page.evaluate(MARK_FOCUSABLE)
    unfocused = {
        str(index): page.locator(f'[data-keyboard-index="{index}"]').evaluate(FOCUS_LOOK)
        for index in range(count)
    }

    reached, unmarked, without_ring, off_screen, unchanged = [], [], [], [], []
    # One press more than there are elements: the walk ends when focus leaves the page or
    # wraps round to where it began.
    for _ in range(count + 1):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused["tag"] == "body" or (reached and focused["index"] == reached[0]):
            break
        if focused["index"] is None:
            unmarked.append(focused)
            continue
        reached.append(focused["index"])
        looks = page.evaluate(f"() => ({FOCUS_LOOK})(document.activeElement)")
        if not focused["hasRing"]:
            without_ring.append(focused)
        if looks == unfocused[focused["index"]]:
            unchanged.append(focused)
        if not focused["onScreen"]:
            off_screen.append(focused)

    assert count > 0
    assert sorted(reached, key=int) == [str(index) for index in range(count)], (
        f"reached in order {reached}, expected each of {count} elements once"
    )
    assert not unmarked, f"focus went to elements that are not interactive: {unmarked}"
    assert not without_ring, f"no outline or box-shadow when focused: {without_ring}"
    assert not unchanged, f"looks the same focused and unfocused: {unchanged}"
    assert not off_screen, f"focused but not on screen: {off_screen}"
