"""The public side of membership: joining (and opening an account), the register open to
inspection, and the member's own details and preferences."""

from allauth.account.adapter import get_adapter
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from config import rulebooks
from membership import accounts, inspection, inspection_links, members, services
from membership.census_answers import record_census_answers
from membership.census_forms import CensusAnswersForm
from membership.errors import MembershipError
from membership.forms import (
    InspectionRequestForm,
    JoinForm,
    LeaveForm,
    MemberDetailsForm,
    OpenAccountForm,
    RegisterSearchForm,
)
from membership.models import Application, ApplicationStatus, CensusAnswers
from membership.selectors import current_membership, member_for_user, public_register, who_can_join

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
    return render(request, "membership/join.html", {"form": form, "who_can_join": who_can_join()})


def applied(request, reference):
    application = get_object_or_404(Application.objects.select_related("constituency", "member"), reference=reference)
    return render(request, "membership/applied.html", {"application": application})


def confirm_email(request, token):
    try:
        application = services.confirm_application_email(token)
    except MembershipError as error:
        return render(request, "membership/confirm_email.html", {"error": str(error)}, status=400)
    # A sign-up with this address, in this browser, needs no second confirmation.
    get_adapter(request).stash_verified_email(request, application.email)
    context = {"application": application, "token": token}
    if _may_open_account(request, application):
        context["account_form"] = OpenAccountForm(application=application)
    return render(request, "membership/confirm_email.html", context)


def _may_open_account(request, application):
    return (
        bool(application.email) and not request.user.is_authenticated and not accounts.account_exists(application.email)
    )


@require_http_methods(["POST"])
def open_account(request, token):
    """The person who joined sets a password on the page that confirmed their email address,
    and is signed in: to their portal if they are a member already."""
    try:
        application = accounts.application_for_account(token)
    except MembershipError as error:
        return render(request, "membership/confirm_email.html", {"error": str(error)}, status=400)
    if not _may_open_account(request, application):
        messages.info(request, "You already have an account. Sign in with it.")
        return redirect("account_login")
    form = OpenAccountForm(request.POST, application=application)
    if form.is_valid():
        try:
            user = accounts.open_account(application, form.cleaned_data["password1"])
        except MembershipError as error:
            form.add_error(None, str(error))
        else:
            get_adapter(request).login(request, user)
            messages.success(request, "Your account is ready, and you are signed in.")
            if member_for_user(user) is not None:
                return redirect("portal")
            return redirect("membership:applied", reference=application.reference)
    context = {"application": application, "token": token, "account_form": form}
    return render(request, "membership/confirm_email.html", context)


@require_http_methods(["GET", "POST"])
def register(request):
    """The register of members: published where the rulebook says so, otherwise open to
    inspection on request (`inspection`)."""
    if not inspection.register_is_published():
        return _request_inspection(request)
    return _register_page(request, "membership/register.html", {})


def _register_page(request, template, context):
    """Name, constituency and date admitted of current members, leaving out those who asked not
    to be shown; searchable and in pages."""
    form = RegisterSearchForm(request.GET or None)
    constituency = surname = None
    if form.is_valid():
        constituency, surname = form.cleaned_data["constituency"], form.cleaned_data["surname"]
    page = Paginator(public_register(constituency=constituency, surname=surname), PUBLIC_REGISTER_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, template, {"form": form, "page": page, "query": query.urlencode(), **context})


def _request_inspection(request):
    form = InspectionRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        asked = inspection.request_inspection(
            name=data["name"], email=data["email"], organisation=data["organisation"], purpose=data["purpose"]
        )
        return render(request, "membership/inspection_requested.html", {"inspection": asked})
    rules = rulebooks.current().membership
    context = {
        "form": form,
        "answer_days": rules.inspection_answer_working_days,
        "access_days": rules.inspection_access_days,
    }
    return render(request, "membership/inspection_request.html", context)


@never_cache
def inspect(request, token):
    """The register, for someone whose request to inspect it was granted, while it is open."""
    try:
        granted = inspection_links.inspection_for_token(token)
    except MembershipError as error:
        return render(request, "membership/inspection_closed.html", {"error": str(error)}, status=403)
    return _register_page(request, "membership/register.html", {"inspection": granted})


def _details_of(member):
    return {name: getattr(member, name) for name in MemberDetailsForm.base_fields}


@login_required
@require_http_methods(["GET", "POST"])
def details(request):
    """The member's own details and preferences (the portal, `cms.views.portal`, links here)."""
    member = member_for_user(request.user)
    if member is None:
        return redirect("portal")
    form = MemberDetailsForm(request.POST or None, initial=_details_of(member))
    if request.method == "POST" and form.is_valid():
        members.update_member_details(member, actor=request.user, **form.cleaned_data)
        messages.success(request, "Your details have been updated.")
        return HttpResponseRedirect(reverse("membership:details"))
    return render(request, "membership/details.html", _details_context(member, form))


def _details_context(member, form, demographics=None):
    answers = CensusAnswers.objects.filter(member=member).values(*CensusAnswers.TOPICS).first()
    demographics = demographics or CensusAnswersForm(initial={**(answers or {}), "consent": answers is not None})
    return {
        "member": member,
        "form": form,
        "demographics": demographics,
        "membership": current_membership(member),
        "past_memberships": member.memberships.filter(ceased_on__isnull=False).select_related("constituency"),
    }


@login_required
@require_http_methods(["POST"])
def demographics(request):
    member = member_for_user(request.user)
    if member is None:
        return redirect("membership:details")
    form = CensusAnswersForm(request.POST)
    if not form.is_valid():
        context = _details_context(member, MemberDetailsForm(initial=_details_of(member)), form)
        return render(request, "membership/details.html", context)
    kept = record_census_answers(member, consent=form.cleaned_data["consent"], actor=request.user, **form.answers())
    messages.success(
        request, "Thank you. Your answers have been saved." if kept else "We do not hold any answers about you."
    )
    return redirect("membership:details")


@login_required
@require_http_methods(["GET", "POST"])
def leave(request):
    member = member_for_user(request.user)
    membership = current_membership(member) if member else None
    if membership is None:
        messages.info(request, "You are not a member at the moment, so there is nothing to leave.")
        return redirect("membership:details")
    form = LeaveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        members.leave(member, actor=request.user)
        messages.success(request, "You are no longer a member. Thank you for your support.")
        return redirect("membership:details")
    return render(request, "membership/leave.html", {"form": form, "membership": membership})
