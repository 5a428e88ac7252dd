"""Reading a rendered page's form the way a browser would post it."""

from html.parser import HTMLParser


class FormFields(HTMLParser):
    """Every form of a page as the fields a browser would post: {name: value}, or a list of values
    for a name the form repeats (the admin's `_selected_action`)."""

    def __init__(self):
        super().__init__()
        self.forms, self._select, self._textarea = [], None, None

    def _add(self, name, value):
        if not self.forms:
            return
        fields = self.forms[-1]
        if name in fields:
            fields[name] = [*fields[name], value] if isinstance(fields[name], list) else [fields[name], value]
        else:
            fields[name] = value

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "form":
            self.forms.append({})
        elif tag == "input" and name and attrs.get("type") not in ("submit", "file", "checkbox", "radio"):
            self._add(name, attrs.get("value") or "")
        elif tag == "select":
            self._select = name
            self._add(name, "")
        elif tag == "option" and self._select and "selected" in attrs:
            self.forms[-1][self._select] = attrs.get("value") or ""
        elif tag == "textarea":
            self._textarea = name
            self._add(name, "")

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea and self.forms:
            fields = self.forms[-1]
            # The HTML parser drops nothing, but a browser drops a textarea's first newline.
            fields[self._textarea] += data.lstrip("\n") if not fields[self._textarea] else data


def open_form(client, url, *, having, data=None):
    """The fields of the form holding a field named `having` on the page at `url` (GET, or POST
    of `data` when given)."""
    response = client.get(url) if data is None else client.post(url, data)
    assert response.status_code == 200, response.status_code
    parser = FormFields()
    parser.feed(response.content.decode())
    (form,) = [f for f in parser.forms if having in f]
    return form
