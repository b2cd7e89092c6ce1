"""Back-office screens for workflows a model listing cannot express: the register as at a date,
staff imports with a preview, representativeness, deciding applications, leavers, moving a
member to another constituency, and a member's personal data. Each checks its permission
here, on the server, and calls services."""

from django.contrib import messages
from django.core.files.storage import default_storage
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.views.decorators.http import require_POST

from config import rulebooks
from config.accounts import require_recent_password
from config.backoffice import allowed, paged, render
from membership import accounts, inspection, permissions
from membership.admin_forms import TransferForm
from membership.census import PublishedFileRefused, load_published
from membership.errors import MembershipError
from membership.exports import write_register_csv
from membership.forms import (
    ImportUploadForm,
    MembersImportForm,
    PaperApplicationForm,
    PopulationUploadForm,
    RegisterAsAtForm,
)
from membership.import_files import keep_for_confirmation
from membership.imports import ImportRefused, import_public_members, import_staff
from membership.models import (
    AccountReferral,
    ApplicantCensusAnswers,
    Application,
    ApplicationStatus,
    CensusAnswers,
    Constituency,
    InspectionRequest,
    Member,
    ProposedLeaver,
)
from membership.privacy import erase_member, subject_access_json
from membership.representativeness import report_csv
from membership.representativeness import representativeness as compare_with_population
from membership.selectors import current_membership, register_as_at
from membership.services import (
    apply,
    approve_application,
    reject_application,
    resolve_leaver_proposal,
    withdraw_application,
)
from membership.transfers import transfer_constituency

IMPORT_SESSION_KEY = "membership_import_upload"
MEMBERS_IMPORT_SESSION_KEY = "membership_members_import_upload"
PAPER_ADMITTED = "Paper application: admitted by the officer who entered it"
NOT_UTF8 = "This file is not UTF-8 text; save it from your spreadsheet as 'CSV UTF-8'."


@allowed(permissions.can_see_register)
def register(request):
    form = RegisterAsAtForm(request.GET or {"as_at": timezone.localdate().isoformat()})
    if not form.is_valid():
        return render(request, "membership/admin/register.html", "Register of members", {"form": form})
    day, constituency = form.cleaned_data["as_at"], form.cleaned_data["constituency"]
    if request.GET.get("format") == "csv":
        require_recent_password(request)
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="register-{day.isoformat()}.csv"'
        write_register_csv(response, day, constituency)
        return response
    page, query = paged(request, register_as_at(day, constituency))
    context = {"form": form, "page": page, "day": day, "query": query}
    return render(request, "membership/admin/register.html", "Register of members", context)


def _keep_upload(request, key, data, **facts):
    """Keep a previewed file until it is confirmed (the daily jobs delete what never is)."""
    request.session[key] = {"path": keep_for_confirmation(data), **facts}


def _take_upload(request, key):
    """The previewed file's bytes and what was chosen with it, deleting it; (None, None) if none."""
    upload = request.session.pop(key, None)
    if upload is None or not default_storage.exists(upload["path"]):
        return None, None
    with default_storage.open(upload["path"], "rb") as stored:
        data = stored.read()
    default_storage.delete(upload["path"])
    return data, upload


@allowed(permissions.can_import_members)
def import_upload(request):
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data["file"].read()
        constituency, full = form.cleaned_data["constituency"], form.cleaned_data["full"]
        source = form.cleaned_data["file"].name
        try:
            plan = import_staff(data, constituency, full=full, dry_run=True, source=source)
        except ImportRefused as refused:
            return render(request, "membership/admin/import.html", "Import staff", {"form": form, "refused": refused})
        except UnicodeDecodeError:
            form.add_error("file", NOT_UTF8)
        else:
            _keep_upload(request, IMPORT_SESSION_KEY, data, constituency=constituency.pk, full=full, source=source)
            context = {"form": form, "plan": plan, "constituency": constituency}
            return render(request, "membership/admin/import.html", "Import staff: preview", context)
    return render(request, "membership/admin/import.html", "Import staff", {"form": form})


@require_POST
@allowed(permissions.can_import_members)
def import_confirm(request):
    data, upload = _take_upload(request, IMPORT_SESSION_KEY)
    if data is None:
        messages.error(request, "There is no previewed file to import; upload it again.")
        return redirect("membership_import:index")
    constituency = Constituency.objects.get(pk=upload["constituency"])
    try:
        plan = import_staff(data, constituency, full=upload["full"], actor=request.user, source=upload["source"])
    except ImportRefused as refused:
        messages.error(request, f"{refused} The register changed since the preview; upload the file again.")
        return redirect("membership_import:index")
    except MembershipError as error:
        messages.error(request, f"{error} Nothing was imported; upload the file again once that is resolved.")
        return redirect("membership_import:index")
    counts = plan.counts()
    messages.success(
        request,
        f"Imported {upload['source']}: {counts['new'] + counts['readmitted']} admitted, "
        f"{counts['class_changed']} changed class, {counts['proposed_leavers']} proposed as leavers.",
    )
    return redirect("membership_import:index")


@allowed(permissions.can_import_members)
def members_import_upload(request):
    """Public, patient and carer members from a file: upload, preview, then confirm."""
    form = MembersImportForm(request.POST or None, request.FILES or None)
    context, title = {"form": form}, "Import members"
    if request.method == "POST" and form.is_valid():
        data, choices = form.cleaned_data["file"].read(), form.choices()
        try:
            context["plan"] = import_public_members(data, dry_run=True, **choices)
        except ImportRefused as refused:
            context["refused"] = refused
        except UnicodeDecodeError:
            form.add_error("file", NOT_UTF8)
        else:
            _keep_upload(request, MEMBERS_IMPORT_SESSION_KEY, data, **choices)
            title = "Import members: preview"
    return render(request, "membership/admin/import_members.html", title, context)


@require_POST
@allowed(permissions.can_import_members)
def members_import_confirm(request):
    data, upload = _take_upload(request, MEMBERS_IMPORT_SESSION_KEY)
    if data is None:
        messages.error(request, "There is no previewed file to import; upload it again.")
        return redirect("membership_members_import:index")
    upload.pop("path")
    try:
        plan = import_public_members(data, actor=request.user, **upload)
    except (ImportRefused, MembershipError) as error:
        messages.error(request, f"{error} The register changed since the preview; upload the file again.")
        return redirect("membership_members_import:index")
    messages.success(request, f"Imported {plan.source}: {plan.counts()['new']} members admitted.")
    return redirect("membership_members_import:index")


@allowed(permissions.can_see_representativeness)
def representativeness(request):
    form = RegisterAsAtForm(request.GET or {"as_at": timezone.localdate().isoformat()})
    form.fields.pop("constituency")
    day = form.cleaned_data["as_at"] if form.is_valid() else timezone.localdate()
    if request.GET.get("format") == "csv":
        response = HttpResponse(report_csv(day), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="representativeness-{day.isoformat()}.csv"'
        return response
    context = {
        "form": form,
        "constituencies": compare_with_population(day),
        "day": day,
        "upload_form": PopulationUploadForm(),
        "can_upload": permissions.can_upload_population(request.user),
        "smallest_cell": rulebooks.current().membership.smallest_cell,
    }
    return render(request, "membership/admin/representativeness.html", "Representativeness", context)


@require_POST
@allowed(permissions.can_upload_population)
def population_upload(request):
    form = PopulationUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "Choose a published CSV file to load.")
        return redirect("membership_representativeness:index")
    upload = form.cleaned_data["file"]
    try:
        kind, count = load_published(upload.read().decode("utf-8-sig"), upload.name)
    except PublishedFileRefused as refused:
        messages.error(request, f"{refused} " + "; ".join(str(error) for error in refused.errors[:20]))
    except UnicodeDecodeError:
        messages.error(request, NOT_UTF8)
    else:
        messages.success(request, f"{upload.name}: {count} {kind} loaded.")
    return redirect("membership_representativeness:index")


@allowed(permissions.can_see_special_category)
def census_answers(request, pk):
    """A member's own census answers (special category data), for the membership office only."""
    member = get_object_or_404(Member, pk=pk)
    answers = CensusAnswers.objects.filter(member=member).first()
    context = {"member": member, "answers": answers, "fields": CensusAnswers.TOPICS}
    return render(request, "membership/admin/census_answers.html", "Census answers", context)


@allowed(permissions.can_decide_applications)
def decide_application(request, pk):
    application = get_object_or_404(Application.objects.select_related("constituency", "possible_duplicate_of"), pk=pk)
    if request.method == "POST":
        try:
            if request.POST.get("decision") == "approve":
                use_member = application.possible_duplicate_of if request.POST.get("same_person") == "yes" else None
                approve_application(application, actor=request.user, use_member=use_member)
                messages.success(request, f"{application.full_name} is now a member.")
            elif request.POST.get("decision") == "reject":
                reject_application(application, request.POST.get("reason", ""), actor=request.user)
                messages.success(request, f"The application from {application.full_name} was rejected.")
            elif request.POST.get("decision") == "withdraw":
                withdraw_application(application, actor=request.user)
                messages.success(request, f"The application from {application.full_name} was withdrawn.")
            else:
                raise MembershipError("Choose to approve or reject the application.")
        except MembershipError as error:
            messages.error(request, str(error))
        else:
            return redirect("membership_applications:index")
    # Only whether census answers came with it: the answers are special category data, not for deciding.
    census = ApplicantCensusAnswers.objects.filter(application=application).values_list("consented_on", flat=True)
    context = {"application": application, "census_consented_on": census.first()}
    return render(request, "membership/admin/decide.html", "Decide an application", context)


@allowed(permissions.can_confirm_leavers)
def resolve_leaver(request, pk):
    proposal = get_object_or_404(ProposedLeaver.objects.select_related("member", "constituency"), pk=pk)
    if request.method != "POST":
        return render(request, "membership/admin/resolve_leaver.html", "Proposed leaver", {"proposal": proposal})
    try:
        resolve_leaver_proposal(proposal, left=request.POST.get("outcome") == "ceased", actor=request.user)
    except MembershipError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"{proposal.member.full_name}: {proposal.get_outcome_display().lower()}.")
    return redirect("membership_leavers:index")


@allowed(permissions.can_handle_personal_data)
def subject_access(request, pk):
    member = get_object_or_404(Member, pk=pk)
    require_recent_password(request)
    response = HttpResponse(subject_access_json(member), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="subject-access-{member.membership_number}.json"'
    return response


@allowed(permissions.can_handle_personal_data)
def erase(request, pk):
    member = get_object_or_404(Member, pk=pk)
    if request.method == "POST" and request.POST.get("confirm") == member.membership_number:
        erase_member(member, actor=request.user)
        messages.success(request, f"The personal data of member {member.membership_number} has been erased.")
        return redirect("membership_members:index")
    if request.method == "POST":
        messages.error(request, "Type the membership number exactly to confirm the erasure.")
    return render(request, "membership/admin/erase.html", "Erase personal data", {"member": member})


@allowed(permissions.can_decide_applications)
def paper_application(request):
    """Enter an application that came on paper, by post or by hand, so that people without the
    internet join the same way as online: the same rules and checks, and the same decision."""
    form = PaperApplicationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            application = apply(**form.application())
            waiting = application.status == ApplicationStatus.PENDING and not application.possible_duplicate_of_id
            if form.cleaned_data["admit_now"] and waiting:
                approve_application(application, actor=request.user, reason=PAPER_ADMITTED)
        except MembershipError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _what_happens_next(application))
            return redirect("membership_applications:index")
    return render(request, "membership/admin/paper_application.html", "Enter a paper application", {"form": form})


def _what_happens_next(application):
    name = application.full_name
    if application.status == ApplicationStatus.PENDING and application.possible_duplicate_of_id:
        return (
            f"{name} may already be member {application.possible_duplicate_of.membership_number}: "
            "their application waits below for you to decide whether they are the same person."
        )
    if application.status == ApplicationStatus.APPROVED:
        return f"{name} is now a member: membership number {application.member.membership_number}."
    if application.status == ApplicationStatus.AWAITING_PAYMENT:
        return (
            f"{name}'s application waits for their payment: record it under Payments, Record a payment taken "
            f"by hand, with the application reference {application.reference}."
        )
    return f"{name}'s application is waiting for a decision below."


@allowed(permissions.can_answer_inspections)
def answer_inspection(request, pk):
    asked = get_object_or_404(InspectionRequest, pk=pk)
    context = {"inspection": asked, "overdue": asked.answer_due_on < timezone.localdate()}
    if request.method != "POST":
        return render(request, "membership/admin/answer_inspection.html", "Request to inspect the register", context)
    try:
        if request.POST.get("answer") == "grant":
            inspection.grant_inspection(asked, actor=request.user)
        else:
            inspection.refuse_inspection(asked, request.POST.get("reason", ""), actor=request.user)
    except MembershipError as error:
        messages.error(request, str(error))
        return redirect("membership_inspections:answer", pk=asked.pk)
    asked.refresh_from_db()
    messages.success(
        request, f"Request {asked.reference}: {asked.get_status_display().lower()}; {asked.email} is told."
    )
    return redirect("membership_inspections:index")


@allowed(permissions.can_link_accounts)
def resolve_referral(request, pk):
    referral = get_object_or_404(AccountReferral, pk=pk)
    candidates = referral.candidates.all().prefetch_related("memberships__constituency")
    context = {"referral": referral, "candidates": candidates}
    if request.method != "POST":
        return render(request, "membership/admin/resolve_referral.html", "Which member is this account?", context)
    member = get_object_or_404(Member, pk=request.POST.get("member") or 0)
    try:
        accounts.resolve_referral(referral, member, actor=request.user)
    except MembershipError as error:
        messages.error(request, str(error))
        return redirect("membership_referrals:resolve", pk=referral.pk)
    messages.success(request, f"The account {referral.email} is now linked to {member.full_name}.")
    return redirect("membership_referrals:index")


@allowed(permissions.can_transfer_members)
def transfer(request, pk):
    """Move a member to another constituency from today, with the officer's reason; a refused
    move says why on the form and changes nothing."""
    member = get_object_or_404(Member, pk=pk)
    current = current_membership(member)
    form = TransferForm(request.POST or None, current=current)
    if request.method == "POST" and form.is_valid():
        constituency, member_class = form.cleaned_data["destination"]
        try:
            with transaction.atomic(durable=True):
                transfer_constituency(
                    member,
                    constituency,
                    member_class=member_class,
                    reason=form.cleaned_data["reason"],
                    actor=request.user,
                )
        except MembershipError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"{member.full_name} is now in the {constituency} constituency.")
            return redirect("membership_members:inspect", pk=member.pk)
    context = {"member": member, "current": current, "form": form}
    return render(request, "membership/admin/transfer.html", "Move to another constituency", context)
