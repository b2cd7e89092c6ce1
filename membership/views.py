"""The public side of membership: joining, the register open to inspection, the member portal."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from config import rulebooks
from membership import services
from membership.errors import MembershipError
from membership.forms import DemographicsForm, JoinForm, LeaveForm, MemberDetailsForm, RegisterSearchForm
from membership.models import Application, ApplicationStatus
from membership.selectors import current_membership, member_for_user, public_register

PUBLIC_REGISTER_PAGE_SIZE = 50


@require_http_methods(["GET", "POST"])
def join(request):
    form = JoinForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            application = services.apply(user=request.user, **form.application())
        except MembershipError as error:
            form.add_error(None, str(error))
        else:
            if application.status == ApplicationStatus.AWAITING_PAYMENT:
                return redirect(reverse("payments:application_checkout", kwargs={"reference": application.reference}))
            return redirect("membership:applied", reference=application.reference)
    return render(request, "membership/join.html", {"form": form})


def applied(request, reference):
    application = get_object_or_404(Application.objects.select_related("constituency", "member"), reference=reference)
    return render(request, "membership/applied.html", {"application": application})


def confirm_email(request, token):
    try:
        application = services.confirm_application_email(token)
    except MembershipError as error:
        return render(request, "membership/confirm_email.html", {"error": str(error)}, status=400)
    return render(request, "membership/confirm_email.html", {"application": application})


def register(request):
    """The register of members open to public inspection: name, constituency and date admitted,
    leaving out members who asked not to be shown."""
    form = RegisterSearchForm(request.GET or None)
    constituency = surname = None
    if form.is_valid():
        constituency, surname = form.cleaned_data["constituency"], form.cleaned_data["surname"]
    page = Paginator(public_register(constituency=constituency, surname=surname), PUBLIC_REGISTER_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "membership/register.html", {"form": form, "page": page, "query": query.urlencode()})


def _details_of(member):
    return {name: getattr(member, name) for name in MemberDetailsForm.base_fields}


@login_required
@require_http_methods(["GET", "POST"])
def portal(request):
    member = member_for_user(request.user)
    if member is None:
        return render(request, "membership/portal_not_member.html")
    form = MemberDetailsForm(request.POST or None, initial=_details_of(member))
    if request.method == "POST" and form.is_valid():
        services.update_member_details(member, actor=request.user, **form.cleaned_data)
        messages.success(request, "Your details have been updated.")
        return HttpResponseRedirect(reverse("membership:portal"))
    return render(request, "membership/portal.html", _portal_context(member, form))


def _portal_context(member, form, demographics=None):
    demographics = demographics or DemographicsForm(
        initial={
            "consent": member.demographics_consent_on is not None,
            "gender": member.gender,
            "ethnicity": member.ethnicity,
            "disability": member.disability,
        }
    )
    return {
        "member": member,
        "form": form,
        "demographics": demographics,
        "membership": current_membership(member),
        "past_memberships": member.memberships.filter(ceased_on__isnull=False).select_related("constituency"),
        "payment_rules": rulebooks.current().payments,
    }


@login_required
@require_http_methods(["POST"])
def demographics(request):
    member = member_for_user(request.user)
    if member is None:
        return redirect("membership:portal")
    form = DemographicsForm(request.POST)
    if not form.is_valid():
        context = _portal_context(member, MemberDetailsForm(initial=_details_of(member)), form)
        return render(request, "membership/portal.html", context)
    services.record_demographics(member, actor=request.user, **form.cleaned_data)
    messages.success(
        request,
        "Thank you. Your answers have been saved."
        if form.cleaned_data["consent"]
        else "We no longer hold this information about you.",
    )
    return redirect("membership:portal")


@login_required
@require_http_methods(["GET", "POST"])
def leave(request):
    member = member_for_user(request.user)
    membership = current_membership(member) if member else None
    if membership is None:
        messages.info(request, "You are not a member at the moment, so there is nothing to leave.")
        return redirect("membership:portal")
    form = LeaveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.leave(member, actor=request.user)
        messages.success(request, "You are no longer a member. Thank you for your support.")
        return redirect("membership:portal")
    return render(request, "membership/leave.html", {"form": form, "membership": membership})
