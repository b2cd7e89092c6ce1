"""One subject's trail for the company secretary and auditors: its record entries and its field history
(django-simple-history), on one page and as one CSV. Any subject (a motion, an election, a member, a
paper) is found by the label and id its entries carry, so the record imports none of the apps above it."""

from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import urlencode
from wagtail.admin.widgets.button import Button

from config.csv_safety import csv_attachment
from records.models import Entry


def trail_url(instance):
    return reverse("records_trail", args=[instance._meta.label_lower, instance.pk])


def subject_trail(request, subject_type, subject_id):
    if not request.user.has_perm("records.view_entry"):
        raise PermissionDenied
    try:
        model = apps.get_model(subject_type)
    except (LookupError, ValueError) as error:
        raise Http404(f"No kind of subject is called {subject_type}.") from error
    subject = model._default_manager.filter(pk=subject_id).first()
    entries = list(Entry.objects.filter(subject_type=subject_type, subject_id=subject_id).order_by("sequence"))
    if subject is None and not entries:
        raise Http404("Nothing is recorded about this subject.")
    changes = _field_history(request.user, model, subject_id)
    label = str(subject) if subject is not None else entries[-1].subject_label
    if request.GET.get("export") == "csv":
        return csv_attachment(f"trail-{model._meta.model_name}-{subject_id}.csv", _rows(entries, changes))
    context = {
        "page_title": f"Trail of {label}",
        "header_icon": "history",
        "subject_label": label,
        "subject_kind": model._meta.verbose_name,
        "entries": entries,
        "changes": changes,
        "history_shown": changes is not None,
        "csv_url": f"{request.path}?export=csv",
        "record_url": _record_of(subject_type, subject_id),
    }
    return TemplateResponse(request, "records/admin/trail.html", context)


def _record_of(subject_type, subject_id):
    """The governance record's listing, filtered to this one subject's entries."""
    return reverse("record_admin:index") + "?" + urlencode({"subject_type": subject_type, "subject_id": subject_id})


def _field_history(user, model, subject_id):
    """The subject's history rows, oldest first, each with what changed; None when the model keeps no
    history or the user may not view that kind of subject."""
    if not hasattr(model, "history") or not user.has_perm(f"{model._meta.app_label}.view_{model._meta.model_name}"):
        return None
    rows = list(
        model.history.filter(**{model._meta.pk.attname: subject_id})
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    changes, previous = [], None
    for row in rows:
        if previous is None:
            changed = "created"
        else:
            delta = row.diff_against(previous)
            changed = "; ".join(f"{c.field}: {c.old!s} → {c.new!s}" for c in delta.changes) or "saved, nothing changed"
        changes.append({"when": row.history_date, "who": row.history_user or "system", "what": changed})
        previous = row
    return changes


def _rows(entries, changes):
    rows = [
        {
            "when": entry.recorded_at.isoformat(),
            "source": f"record entry #{entry.sequence}",
            "what": entry.kind_label,
            "kind": entry.kind,
            "who": entry.actor_label,
            "details": entry.summary,
            "hash": entry.hash,
        }
        for entry in entries
    ]
    rows += [
        {
            "when": change["when"].isoformat(),
            "source": "field history",
            "what": "Changed",
            "kind": "",
            "who": str(change["who"]),
            "details": change["what"],
            "hash": "",
        }
        for change in changes or []
    ]
    return sorted(rows, key=lambda row: row["when"])


class TrailButtonMixin:
    """For a subject's inspect view (a motion, an election, a member): a button to its record entries
    and field history, and blank values shown as a dash rather than "None"."""

    @property
    def header_buttons(self):
        url = trail_url(self.object)
        return [*super().header_buttons, Button("Record entries and history", url=url, icon_name="history")]

    def get_field_display_value(self, field_name, field):
        value = super().get_field_display_value(field_name, field)
        return "—" if value is None or value == "" else value
