"""The one form pattern every public and account form follows (GOV.UK Frontend):

- each control carries the design system's class, and its error class when it is wrong, even a
  field a form adds after it is built (the ballot's rank fields);
- validation happens on the server only: no `required` attribute, so no browser pop-ups;
- every message names its field ("Enter your postcode", not "This field is required."), so the
  error summary says which field is wrong;
- each field knows its `anchor`, the id of the control an error-summary link moves the focus to
  (the first radio or checkbox of a group, since the group itself has no id).

Django 5.2 ties each message to its control with `aria-describedby="<id>_error"` and the hint
with `<id>_helptext`; `templates/includes/field.html` and `choices.html` give the message and the
hint exactly those ids.
"""

import re

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.forms.boundfield import BoundField
from django.forms.models import ModelChoiceIterator
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

WIDGET_CLASSES = {
    forms.Textarea: ("govuk-textarea", "govuk-textarea--error"),
    forms.Select: ("govuk-select", "govuk-select--error"),
    forms.SelectMultiple: ("govuk-select", "govuk-select--error"),
    forms.CheckboxInput: ("govuk-checkboxes__input", ""),
    forms.RadioSelect: ("govuk-radios__input", ""),
    forms.CheckboxSelectMultiple: ("govuk-checkboxes__input", ""),
    forms.ClearableFileInput: ("govuk-file-upload", "govuk-file-upload--error"),
    forms.FileInput: ("govuk-file-upload", "govuk-file-upload--error"),
    forms.DateInput: ("govuk-input govuk-input--width-10", "govuk-input--error"),
    forms.NumberInput: ("govuk-input govuk-input--width-5", "govuk-input--error"),
    forms.widgets.Input: ("govuk-input", "govuk-input--error"),
}


def widget_classes(widget):
    """(class, error class) of the design system for a widget: the most specific type wins."""
    for widget_type in type(widget).__mro__:
        if widget_type in WIDGET_CLASSES:
            return WIDGET_CLASSES[widget_type]
    return "", ""


def _join_classes(*groups):
    seen = []
    for group in groups:
        for name in (group or "").split():
            if name not in seen:
                seen.append(name)
    return " ".join(seen)


class GovukBoundField(BoundField):
    """A field as the pattern renders it: classes and error class on the control, no `required`."""

    def build_widget_attrs(self, attrs, widget=None):
        widget = widget or self.field.widget
        attrs = super().build_widget_attrs(attrs, widget)
        attrs.pop("required", None)
        base, error = widget_classes(widget)
        if widget.attrs.get("class") and base.startswith("govuk-input "):
            base = "govuk-input"  # a width the form chose (a date part) beats the default width
        attrs["class"] = _join_classes(
            widget.attrs.get("class"), attrs.get("class"), base, error if self.errors else ""
        )
        return attrs

    @property
    def anchor(self):
        """The id an error-summary link points at: the control itself, or the first option of a
        group of radios or checkboxes."""
        if isinstance(self.field.widget, forms.RadioSelect):
            return f"{self.auto_id}_0"
        return self.id_for_label


def _label(field, name):
    text = str(field.label if field.label is not None else name.replace("_", " ").capitalize())
    text = text.replace(" (optional)", "").rstrip(":?. ")
    if len(text) > 1 and not text[1].isupper() and not text.startswith("I "):
        text = text[0].lower() + text[1:]
    return text


def _default_messages(field):
    messages = {}
    for klass in reversed(type(field).__mro__):
        messages.update(getattr(klass, "default_error_messages", {}))
    return messages


def name_the_field(field, name):
    """Replace Django's generic messages ("This field is required.", "Enter a whole number.")
    with ones that name the field; messages a form wrote itself are kept."""
    label = _label(field, name)
    defaults = _default_messages(field)
    for code, message in list(field.error_messages.items()):
        if defaults.get(code) != message or not str(message) or not label:
            continue
        if code == "required":
            field.error_messages[code] = required_message(field, label)
        else:
            safe = label.replace("%", "%%") if "%(" in str(message) else label
            field.error_messages[code] = f"{safe[0].upper()}{safe[1:]}: {str(message)[0].lower()}{str(message)[1:]}"


def required_message(field, label):
    widget = field.widget
    question = str(field.label or "").strip()
    if question.endswith("?"):  # "Select which group are you joining" reads badly: ask the question again
        verb = "Choose" if isinstance(widget, (forms.RadioSelect, forms.Select)) else "Give"
        return f"{verb} an answer to the question: {question}"
    if isinstance(widget, forms.CheckboxInput):
        return f"Tick the box to confirm: {label}"
    if isinstance(widget, (forms.RadioSelect, forms.Select)):
        return f"Select {label}"
    if isinstance(widget, forms.FileInput):
        return f"Upload {label}"
    return f"Enter {label}"


class GovukFormMixin:
    """The form pattern for a form the project writes: mix in before `forms.Form`."""

    bound_field_class = GovukBoundField
    use_required_attribute = False

    def full_clean(self):
        for name, field in self.fields.items():
            name_the_field(field, name)
        super().full_clean()

    @property
    def first_anchor(self):
        """Where a summary link for an error about the whole form points: its first control."""
        visible = self.visible_fields()
        return visible[0].anchor if visible else ""


def dress(form):
    """Put a form the project did not write (allauth's, for sign-in and accounts) into the same
    pattern, after it was validated: classes, messages that name their field, no `required`."""
    form.bound_field_class = GovukBoundField
    form.use_required_attribute = False
    form._bound_fields_cache = {}
    _sign_in_errors_on_the_password(form)
    for name, field in form.fields.items():
        field.label = sentence_case(field.label)
        field.widget.attrs.pop("placeholder", None)  # a hint that vanishes as you type
        name_the_field(field, name)
        if form.is_bound and form._errors and name in form._errors:
            form._errors[name] = form.error_class(
                [_renamed(error, field) for error in form._errors[name].as_data()], renderer=form.renderer
            )
    return form


def _sign_in_errors_on_the_password(form):
    """allauth says "the email address and/or password … are not correct" about the whole form;
    the pattern shows it on the password, where the member puts it right."""
    from allauth.account.forms import LoginForm

    if not isinstance(form, LoginForm) or not form.is_bound or not form._errors or "password" not in form.fields:
        return
    wrong = form._errors.pop(NON_FIELD_ERRORS, None)
    if wrong:
        form._errors.setdefault("password", form.error_class(renderer=form.renderer)).extend(wrong)


def _renamed(error, field):
    """An error raised before `dress` relabelled the messages, with its message renamed."""
    if error.code in field.error_messages and error.message in _default_messages(field).values():
        return forms.ValidationError(field.error_messages[error.code], code=error.code, params=error.params)
    return error


CAPITALISED = re.compile(r"^([A-Z][a-z]+)([.,:;!?]?)$")


def sentence_case(text):
    """'Sign In' -> 'Sign in', 'Two-Factor Authentication' -> 'Two-factor authentication'.
    Only whole capitalised words after the first change, so markup, words in capitals (PIN)
    and 'I' are left alone."""
    if not text:
        return text
    words = re.split(r"(\s+)", str(text))
    seen_first = False
    for index, word in enumerate(words):
        if not word or word.isspace():
            continue
        parts = word.split("-")
        for p in range(0 if seen_first else 1, len(parts)):
            if CAPITALISED.match(parts[p]) and parts[p] != "I":
                parts[p] = parts[p].lower()
        words[index] = "-".join(parts)
        seen_first = True
    return "".join(words)


PHOTO_TYPES = {"jpg", "jpeg", "png", "webp"}


def check_photo(photo, max_bytes):
    """A photograph for publication: an image (the ImageField has opened it), of a type every
    browser shows, and no larger than `max_bytes`."""
    if photo and photo.size > max_bytes:
        raise forms.ValidationError(f"The photograph must be smaller than {max_bytes // (1024 * 1024)} MB")
    if photo and photo.name.rsplit(".", 1)[-1].lower() not in PHOTO_TYPES:
        raise forms.ValidationError("The photograph must be a JPEG, PNG or WebP image")
    return photo


def _attributes(attrs):
    """A widget's attributes as Django's `attrs.html` writes them (True alone, False left out)."""
    return format_html_join(
        "",
        " {}{}",
        (
            (name, "" if value is True else format_html('="{}"', value))
            for name, value in attrs.items()
            if value is not False
        ),
    )


class QuickSelect(forms.Select):
    """A drop-down written as Django's own `select.html` writes it, without a template per option: a page
    with a few dozen options (the directory's search form) renders in a tenth of the time."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        lines = []
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                lines.append(format_html('\n  <optgroup label="{}">', group_name))
            for option in options:
                lines.append(
                    format_html(
                        '\n  <option value="{}"{}>{}</option>\n',
                        option["value"],
                        _attributes(option["attrs"]),
                        option["label"],
                    )
                )
            if group_name:
                lines.append(mark_safe("\n  </optgroup>"))
        return format_html(
            '<select name="{}"{}>{}\n</select>',
            widget["name"],
            _attributes(widget["attrs"]),
            mark_safe("".join(lines)),
        )


class _ChoicesFromShortList(ModelChoiceIterator):
    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for row in self.field.rows():
            yield self.choice(row)

    def __len__(self):
        return len(self.field.rows()) + (self.field.empty_label is not None)

    def __bool__(self):
        return self.field.empty_label is not None or bool(self.field.rows())


class ShortListChoiceField(forms.ModelChoiceField):
    """A choice of one row from a short list (a vocabulary of a few dozen). Given `rows` (a function
    returning the rows in order, which its caller keeps: the directory's vocabularies), the drop-down and
    the check of a choice read no table. Without it the list is read with one plain query: Django's own
    reads it through a server-side cursor, three round trips to PostgreSQL (declare, fetch, close) for
    each drop-down on each page."""

    iterator = _ChoicesFromShortList

    def __init__(self, queryset, *, rows=None, **kwargs):
        super().__init__(queryset, **kwargs)
        self._rows = rows

    def rows(self):
        return self._rows() if self._rows is not None else list(self.queryset.all())

    def to_python(self, value):
        if self._rows is None or value in self.empty_values:
            return super().to_python(value)
        key = self.to_field_name or "pk"
        chosen = next((row for row in self.rows() if str(getattr(row, key)) == str(value)), None)
        if chosen is None:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value})
        return chosen
