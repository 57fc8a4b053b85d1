"""Helpers for tests that post the admin's forms the way a browser does.

`browser_data` reads the form a page shows (inputs, selects, textareas, inline management forms)
and gives back what submitting it unchanged would send, so a test can change one field and post.
"""

from __future__ import annotations

from html.parser import HTMLParser


class _FormReader(HTMLParser):
    def __init__(self, form_id: str):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.data: dict[str, list[str]] = {}
        self._select: dict | None = None  # name, multiple, options [(value, selected)]
        self._option: dict | None = None
        self._textarea: str | None = None
        self._text: list[str] = []

    def _add(self, name: str, value: str) -> None:
        if "__prefix__" not in name:  # the inline's template row: Django reads only TOTAL_FORMS rows
            self.data.setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("id") == self.form_id:
            self.inside = True
        if not self.inside or "disabled" in attrs:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = (attrs.get("type") or "text").lower()
            if kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    self._add(name, attrs.get("value") or "on")
            elif kind not in ("submit", "button", "image", "file", "reset"):
                self._add(name, attrs.get("value") or "")
        elif tag == "select" and name:
            self._select = {"name": name, "multiple": "multiple" in attrs, "options": []}
        elif tag == "option" and self._select is not None:
            self._option = {"value": attrs.get("value"), "selected": "selected" in attrs}
            self._text = []
        elif tag == "textarea" and name:
            self._textarea, self._text = name, []

    def handle_data(self, data):
        if self._textarea is not None or self._option is not None:
            self._text.append(data)

    def _end_option(self):
        value = self._option["value"]
        self._select["options"].append(
            (value if value is not None else "".join(self._text).strip(), self._option["selected"])
        )
        self._option = None

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "option" and self._option is not None:
            self._end_option()
        elif tag == "select" and self._select is not None:
            if self._option is not None:
                self._end_option()
            options = self._select["options"]
            chosen = [value for value, selected in options if selected]
            if not chosen and not self._select["multiple"] and options:
                chosen = [options[0][0]]  # a browser sends the first option of a single select
            for value in chosen:
                self._add(self._select["name"], value)
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            self._add(self._textarea, "".join(self._text).removeprefix("\n"))
            self._textarea = None


def browser_data(page: str, form_id: str) -> dict[str, list[str]]:
    """What a browser sends when the form `form_id` of `page` is submitted as shown."""
    reader = _FormReader(form_id)
    reader.feed(page)
    return reader.data
