"""The forms of an HTML page, read as a browser would submit them (html.parser, no browser)."""

from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class Form:
    """One <form>: where it posts and the values a browser would send, in page order."""

    id: str
    action: str
    method: str
    fields: list = field(default_factory=list)  # [(name, value)]
    text_fields: list = field(default_factory=list)  # names of visible text inputs and textareas
    textareas: list = field(default_factory=list)
    password_fields: list = field(default_factory=list)
    options: dict = field(default_factory=dict)  # select name -> every option value
    multiple: set = field(default_factory=set)  # selects that take several values
    checkboxes: dict = field(default_factory=dict)  # checkbox name -> every value, ticked or not

    def data(self):
        """The values as a dict for the test client (lists where a name repeats)."""
        out = {}
        for name, value in self.fields:
            if name in out:
                out[name] = (out[name] if isinstance(out[name], list) else [out[name]]) + [value]
            else:
                out[name] = value
        return out


class _FormParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms, self.form, self._select, self._selected, self._textarea, self._text = (
            [],
            None,
            None,
            False,
            None,
            "",
        )

    def handle_starttag(self, tag, attrs):
        attrs = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "form":
            self.form = Form(attrs.get("id", ""), attrs.get("action", ""), attrs.get("method", "get").lower())
            self.forms.append(self.form)
            return
        if self.form is None:
            return
        name = attrs.get("name")
        kind = attrs.get("type", "text").lower()
        if tag == "input" and name:
            if kind in ("submit", "button", "image", "reset", "file"):
                return
            if kind in ("checkbox", "radio"):
                if kind == "checkbox":
                    self.form.checkboxes.setdefault(name, []).append(attrs.get("value", "on"))
                if "checked" in attrs:
                    self.form.fields.append((name, attrs.get("value", "on")))
                return
            self.form.fields.append((name, attrs.get("value", "")))
            if kind == "password":
                self.form.password_fields.append(name)
            elif kind in ("text", "email", "search", "url") and "readonly" not in attrs:
                self.form.text_fields.append(name)
        elif tag == "select" and name:
            self._select, self._selected = (name, "multiple" in attrs), False
            self.form.options[name] = []
            if "multiple" in attrs:
                self.form.multiple.add(name)
        elif tag == "option" and self._select:
            value = attrs.get("value", "")
            self.form.options[self._select[0]].append(value)
            if "selected" in attrs:
                self.form.fields.append((self._select[0], value))
                self._selected = True
        elif tag == "textarea" and name:
            self._textarea, self._text = name, ""

    def handle_endtag(self, tag):
        if tag == "form":
            self.form = None
        elif tag == "select" and self._select:
            name, multiple = self._select
            options = self.form.options[name] if self.form else []
            # A single select with nothing marked sends its first option, as a browser does.
            if self.form is not None and not multiple and not self._selected and options:
                self.form.fields.append((name, options[0]))
            self._select = None
        elif tag == "textarea" and self._textarea and self.form is not None:
            # Browsers drop the newline Django writes after <textarea>.
            text = self._text[1:] if self._text.startswith("\n") else self._text
            self.form.fields.append((self._textarea, text))
            self.form.text_fields.append(self._textarea)
            self.form.textareas.append(self._textarea)
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self._text += data


def forms_of(html):
    """Every form of the page."""
    parser = _FormParser()
    parser.feed(html)
    parser.close()
    return parser.forms


def form_data(html, form_id):
    """The values the form with `form_id` would send."""
    return next(f for f in forms_of(html) if f.id == form_id).data()
