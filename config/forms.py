"""Form helpers shared by every public form: GOV.UK Frontend classes on Django widgets."""

from django import forms

WIDGET_CLASSES = {
    forms.Textarea: "govuk-textarea",
    forms.Select: "govuk-select",
    forms.SelectMultiple: "govuk-select",
    forms.CheckboxInput: "govuk-checkboxes__input",
    forms.RadioSelect: "govuk-radios__input",
    forms.CheckboxSelectMultiple: "govuk-checkboxes__input",
    forms.ClearableFileInput: "govuk-file-upload",
    forms.FileInput: "govuk-file-upload",
    forms.DateInput: "govuk-input govuk-input--width-10",
    forms.NumberInput: "govuk-input govuk-input--width-5",
    forms.widgets.Input: "govuk-input",
}


class GovukFormMixin:
    """Give each widget the design system's class (the most specific widget type wins) and
    mark invalid fields for assistive technology."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            for widget_type in type(widget).__mro__:
                if widget_type in WIDGET_CLASSES:
                    existing = widget.attrs.get("class", "")
                    widget.attrs["class"] = f"{existing} {WIDGET_CLASSES[widget_type]}".strip()
                    break

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} govuk-input--error".strip()


PHOTO_TYPES = {"jpg", "jpeg", "png", "webp"}


def check_photo(photo, max_bytes):
    """A photograph for publication: an image (the ImageField has opened it), of a type every
    browser shows, and no larger than `max_bytes`."""
    if photo and photo.size > max_bytes:
        raise forms.ValidationError(f"The photograph must be smaller than {max_bytes // (1024 * 1024)} MB")
    if photo and photo.name.rsplit(".", 1)[-1].lower() not in PHOTO_TYPES:
        raise forms.ValidationError("The photograph must be a JPEG, PNG or WebP image")
    return photo
