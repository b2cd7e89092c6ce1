"""Back-office screens for office that the generic listings cannot be: publishing an office
holder's photograph, appointing and removing a body's clerks. Each checks its permission here, on
the server, and calls services."""

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.shortcuts import get_object_or_404, redirect
from guardian.shortcuts import get_users_with_perms

from config import rulebooks
from config.backoffice import allowed, render
from config.forms import check_photo
from governance.bodies import services
from governance.bodies.models import Body, Tenure
from governance.bodies.permissions import CLERK_PERMISSION


def can_change_holder_photos(user):
    return user.has_perm("bodies.change_tenure_photo")


class HolderPhotoForm(forms.Form):
    photo = forms.ImageField(label="New photograph", required=False)
    remove = forms.BooleanField(label="Take the photograph down", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.max_bytes = rulebooks.current().elections.photo_max_bytes
        self.fields[
            "photo"
        ].help_text = (
            f"A JPEG, PNG or WebP image up to {self.max_bytes // (1024 * 1024)} MB, which the holder agreed to publish."
        )

    def clean_photo(self):
        return check_photo(self.cleaned_data.get("photo"), self.max_bytes)

    def clean(self):
        data = super().clean()
        if not data.get("photo") and not data.get("remove") and not self.errors:
            raise forms.ValidationError("Choose a photograph, or tick to take the photograph down.")
        return data


@allowed(can_change_holder_photos)
def holder_photo(request, pk):
    tenure = get_object_or_404(Tenure.objects.select_related("holder", "seat"), pk=pk)
    posted = request.method == "POST"
    form = HolderPhotoForm(request.POST if posted else None, request.FILES if posted else None)
    if posted and form.is_valid():
        photo = None if form.cleaned_data["remove"] else form.cleaned_data["photo"]
        services.change_holder_photo(tenure, photo, actor=request.user)
        messages.success(request, f"The photograph of {tenure.holder.full_name} is {'changed' if photo else 'down'}.")
        return redirect("tenure_admin:index")
    context = {"form": form, "tenure": tenure}
    return render(request, "bodies/admin/holder_photo.html", f"Photograph of {tenure.holder.full_name}", context)


def can_appoint_clerks(user):
    return user.has_perm("bodies.change_body")


class ClerkForm(forms.Form):
    email = forms.EmailField(label="Email of the new clerk", help_text="They must already have an account here.")

    def clean_email(self):
        email = self.cleaned_data["email"]
        user = get_user_model().objects.filter(email__iexact=email).first()
        if user is None:
            raise forms.ValidationError(f"Nobody has an account with the email {email}. Ask them to open one first.")
        return user


def clerks_of(body):
    return get_users_with_perms(body, only_with_perms_in=[CLERK_PERMISSION.split(".")[1]]).order_by("email")


@allowed(can_appoint_clerks)
def body_clerks(request, pk):
    """The clerks of a body: appoint one by email, or remove one (`appoint_clerk`, `remove_clerk`)."""
    body = get_object_or_404(Body, pk=pk)
    form = ClerkForm(request.POST if "email" in request.POST else None)
    if "remove" in request.POST:
        clerk = get_object_or_404(clerks_of(body), pk=request.POST["remove"])
        services.remove_clerk(body, clerk, actor=request.user)
        messages.success(request, f"{clerk.email} no longer clerks {body}.")
        return redirect("body_admin:clerks", pk=body.pk)
    if form.is_valid():
        services.appoint_clerk(body, form.cleaned_data["email"], actor=request.user)
        messages.success(request, f"{form.cleaned_data['email'].email} now clerks {body}.")
        return redirect("body_admin:clerks", pk=body.pk)
    context = {"form": form, "body": body, "clerks": clerks_of(body)}
    return render(request, "bodies/admin/clerks.html", f"Clerks of {body}", context)
