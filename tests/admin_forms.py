"""Reading an admin form as a browser would, to post it back with some fields changed.

Tests of the admin's forms post what the page rendered (hidden fields, inlines,
selected options), not a dictionary written by hand: two clients can then open one
page and save it as two people would.
"""

from html.parser import HTMLParser


class _FormReader(HTMLParser):
    def __init__(self, form_id):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.data: dict[str, list[str]] = {}
        self._textarea = None
        self._select = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (self.form_id is None or attrs.get("id") == self.form_id):
            self.inside = True
        if not self.inside:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in ("submit", "button", "file", "image", "reset"):
                return
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            default = "on" if kind in ("checkbox", "radio") else ""
            self.data.setdefault(name, []).append(attrs.get("value") or default)
        elif tag == "textarea" and name:
            self._textarea = name
            self.data[name] = [""]
        elif tag == "select" and name:
            self._select = name
            self.data.setdefault(name, [])
        elif tag == "option" and self._select and "selected" in attrs:
            self.data[self._select].append(attrs.get("value", ""))

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea][0] += data


def form_data(response, form_id=None) -> dict:
    """The fields of the page's form (the first, or the one with ``form_id``) as posted."""
    reader = _FormReader(form_id)
    reader.feed(response.content.decode())
    data = {}
    for name, values in reader.data.items():
        if name == "csrfmiddlewaretoken":
            continue
        # A textarea's content starts after the newline that follows its tag.
        values = [v[1:] if v.startswith("\n") else v for v in values]
        data[name] = values if len(values) != 1 else values[0]
    return data


def inline_prefix(response, part):
    """The prefix of the inline formset of one part of an initiative (aim, content, future)."""
    for inline in response.context["inline_admin_formsets"]:
        if getattr(inline.formset, "part", None) == part:
            return inline.formset.prefix
    raise LookupError(part)
