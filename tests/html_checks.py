"""Checks on rendered HTML that axe-core cannot be relied on for: references that point at
nothing, error-summary links that do not say which field is wrong, a failed form without
"Error:" in its title. Used by the form tests and the browser tests alike."""

import re
from html.parser import HTMLParser

from django import forms

REFERENCING = ("aria-describedby", "aria-labelledby", "aria-controls", "for")


class _Page(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids = set()
        self.references = []  # (attribute, id, tag)
        self.labels = {}  # id -> label text
        self.summary_links = []  # (href, text)
        self.title = ""
        self._in_title = False
        self._summary_depth = 0
        self._link = None
        self._label_for = None
        self._label_text = []
        self._stack = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag not in ("input", "br", "img", "meta", "link", "hr"):
            self._stack.append(tag)
            if self._summary_depth:
                self._summary_depth += 1
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        for name in REFERENCING:
            for target in (attrs.get(name) or "").split():
                self.references.append((name, target, tag))
        if tag == "a" and (attrs.get("href") or "").startswith("#"):
            self.references.append(("href", attrs["href"][1:], tag))
        if "govuk-error-summary__list" in (attrs.get("class") or ""):
            self._summary_depth = 1
        if tag == "a" and self._summary_depth:
            self._link = [attrs.get("href", ""), ""]
        if tag == "title":
            self._in_title = True
        if tag == "label":
            self._label_for, self._label_text = attrs.get("for"), []
        if tag == "legend":
            self._label_for, self._label_text = "legend", []

    def handle_endtag(self, tag):
        if self._stack and self._stack[-1] == tag:
            self._stack.pop()
            if self._summary_depth:
                self._summary_depth -= 1
        if tag == "a" and self._link is not None:
            self.summary_links.append((self._link[0], " ".join(self._link[1].split())))
            self._link = None
        if tag == "title":
            self._in_title = False
        if tag in ("label", "legend") and self._label_for:
            self.labels[self._label_for] = " ".join("".join(self._label_text).split())
            self._label_for = None

    def handle_data(self, data):
        if self._in_title:
            self.title += data
        if self._link is not None:
            self._link[1] += data
        if self._label_for:
            self._label_text.append(data)


def parse(html):
    page = _Page()
    page.feed(html)
    return page


def dangling_references(html):
    """Every aria-describedby, aria-labelledby, for and href="#…" whose id is not on the page,
    as readable strings. A bare href="#" counts: it takes the reader nowhere."""
    page = parse(html)
    return [
        f'{tag} {attribute}="{"#" if attribute == "href" else ""}{target}"'
        for attribute, target, tag in page.references
        if target not in page.ids
    ]


def _generic_messages():
    """Django's own messages, which say what is wrong but not where, as patterns."""
    messages = set()
    for klass in vars(forms).values():
        if isinstance(klass, type) and issubclass(klass, forms.Field):
            for cls in klass.__mro__:
                messages.update(str(m) for m in getattr(cls, "default_error_messages", {}).values())
    return [re.compile("^" + re.sub(r"%\\\(\w+\\\)[sd]", ".*", re.escape(m)) + "$") for m in messages]


GENERIC = _generic_messages()


def error_pattern_problems(html):
    """What is wrong with a page showing a failed form: no "Error:" in the title; a summary link
    to nothing, or one whose words are Django's generic message without the field's name; the
    same message twice; any dangling reference."""
    page = parse(html)
    problems = []
    if not page.title.strip().startswith("Error:"):
        problems.append(f"the title {page.title.strip()!r} does not begin with 'Error:'")
    if not page.summary_links:
        problems.append("there is no error summary with links")
    texts = [text for _, text in page.summary_links]
    for href, text in page.summary_links:
        target = href[1:]
        if not target or target not in page.ids:
            problems.append(f"the summary link {text!r} points at {href!r}, which is not on the page")
        if any(pattern.match(text) for pattern in GENERIC):
            problems.append(f"the summary link {text!r} does not say which field is wrong")
        if texts.count(text) > 1:
            problems.append(f"the summary says {text!r} more than once, for different fields")
    problems += [f"{ref} points at nothing" for ref in dangling_references(html)]
    return sorted(set(problems))
