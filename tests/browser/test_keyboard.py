"""A keyboard alone reaches everything on the front page, and always shows where it is."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.browser

# Marks every element that should be in the tab order and records how it looks unfocused.
MARK_FOCUSABLE = """() => {
  const selector = 'a[href], button, input, select, textarea, summary, [tabindex]';
  const candidates = [...document.querySelectorAll(selector)].filter(element =>
    element.tabIndex >= 0 && !element.disabled && element.type !== 'hidden'
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


def open_home(page, live_server):
    response = page.goto(live_server.url + reverse("home"))
    assert response.status == 200


def test_the_first_tab_reaches_the_skip_link_and_enter_moves_focus_to_the_main_content(
    page, live_server, site_data
):
    open_home(page, live_server)

    page.keyboard.press("Tab")
    skip_link = page.evaluate("() => document.activeElement.getAttribute('href')")
    focused = page.evaluate(FOCUSED)
    page.keyboard.press("Enter")

    assert skip_link == "#main"
    assert focused["onScreen"], "the skip link stays off screen when focused"
    assert page.evaluate("() => document.activeElement.tagName") == "MAIN"


def test_tab_reaches_every_interactive_element_of_the_front_page_with_a_visible_focus(
    page, live_server, site_data
):
    open_home(page, live_server)
    count = page.evaluate(MARK_FOCUSABLE)
    unfocused = {
        str(index): page.locator(f'[data-keyboard-index="{index}"]').evaluate(FOCUS_LOOK)
        for index in range(count)
    }

    reached, unmarked, without_ring, off_screen, unchanged = [], [], [], [], []
    # One press more than there are elements, so that focus leaving the page ends the walk.
    for _ in range(count + 1):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused["tag"] == "body":
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
