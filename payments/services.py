"""Money in and out, and the shares it buys. Each service is one transaction that writes history
(the acting user) and a governance record entry, or nothing at all. Record entries name members
by membership number and applicants by application reference, never by name (names are erasable).

Stripe's events reach these services through `payments.events`; the yearly subscription is in
`payments.subscriptions`."""

from django.db import transaction
from django.utils import timezone

from config import rulebooks
from config.history import with_actor
from membership.models import Application, ApplicationStatus, CeaseReason, Member
from membership.selectors import current_membership
from membership.services import admit_applicant, cease_membership
from payments import stripe_api
from payments.errors import PaymentError
from payments.models import Payment, PaymentKind, PaymentMethod, ShareHolding
from payments.money import format_pence
from records.services import record

MANUAL_METHODS = (PaymentMethod.CASH, PaymentMethod.CHEQUE, PaymentMethod.BANK_TRANSFER)


def joining_payment():
    """(kind, pence) an applicant pays to join under the rulebook: a share (plus any one-off fee),
    or a one-off fee; (None, 0) when joining is free."""
    rules = rulebooks.current().payments
    fee = rules.fee_pence if rules.fee_period == "one-off" else 0
    if rules.share_required:
        return PaymentKind.SHARE, rules.share_pence + fee
    if fee:
        return PaymentKind.FEE, fee
    return None, 0


def payer_label(payment):
    """Who paid, as record entries and reports name them: never by name (names are erasable)."""
    if payment.member_id:
        return f"member {payment.member.membership_number}"
    return f"application {payment.application.reference}"


@transaction.atomic
def record_payment(*, kind, amount_pence, method, received_on, actor=None, **fields):
    """Write one payment and its record entry. Locks nothing: callers lock what the payment decides."""
    payment = Payment(
        kind=kind,
        amount_pence=amount_pence,
        currency=rulebooks.current().payments.currency,
        method=method,
        received_on=received_on,
        recorded_by=actor if actor is not None and actor.is_authenticated else None,
        **fields,
    )
    with_actor(payment, actor).save()
    record(
        f"payment.{kind}",
        f"{payment.get_kind_display()} of {payment.amount_display} by {payment.get_method_display().lower()} "
        f"from {payer_label(payment)} on {received_on:%d %B %Y}",
        actor=actor,
        subject=payment,
        payload={
            "kind": kind,
            "amount_pence": amount_pence,
            "currency": payment.currency,
            "method": method,
            "stripe_id": payment.stripe_id,
            "reference": payment.reference,
            "refund_of": payment.refund_of_id,
        },
    )
    return payment


@transaction.atomic
def issue_share(member, *, issued_on, payment=None, actor=None):
    """Issue the society's share to `member` (the rulebook's value). Locks the member row; the
    database refuses a second current holding even if two issues race."""
    # The member's row (no key: rows pointing at it need not wait): two issues at once would both find no holding.
    Member.objects.select_for_update(no_key=True).filter(pk=member.pk).first()
    if ShareHolding.objects.filter(member=member, withdrawn_on__isnull=True).exists():
        raise PaymentError(f"Member {member.membership_number} already holds a share; a member holds one share.")
    holding = ShareHolding(
        member=member,
        shares=1,
        value_pence=rulebooks.current().payments.share_pence,
        issued_on=issued_on,
        payment=payment,
    )
    with_actor(holding, actor).save()
    record(
        "share.issued",
        f"One share issued to member {member.membership_number} on {issued_on:%d %B %Y}",
        actor=actor,
        subject=holding,
        payload={
            "member": member.membership_number,
            "value_pence": holding.value_pence,
            "payment": payment and payment.pk,
        },
    )
    return holding


def admit_on_payment(application, *, amount_pence, method, received_on, actor=None, **payment_fields):
    """Take the joining payment for an application awaiting it, admit the applicant and issue the
    share. The caller holds the application row lock. Called for money taken by hand, and from a
    signature-verified webhook for a paid checkout, never from the applicant's browser."""
    kind, due = joining_payment()
    if application.status != ApplicationStatus.AWAITING_PAYMENT:
        raise PaymentError(
            f"Application {application.reference} is not waiting for a payment "
            f"(it is {application.get_status_display().lower()})."
        )
    if amount_pence < due:
        raise PaymentError(
            f"Joining costs {format_pence(due)}; {format_pence(amount_pence)} is not enough to admit the applicant."
        )
    payment = record_payment(
        kind=kind,
        amount_pence=amount_pence,
        method=method,
        received_on=received_on,
        actor=actor,
        application=application,
        **payment_fields,
    )
    admit_applicant(application, actor=actor, admitted_on=received_on, reason=f"Paid {payment.amount_display}")
    application.refresh_from_db()
    payment.member = application.member
    with_actor(payment, actor).save(update_fields=["member"])
    if kind == PaymentKind.SHARE:
        issue_share(application.member, issued_on=received_on, payment=payment, actor=actor)
    return payment


@transaction.atomic(durable=True)
def record_manual_payment(
    *, kind, amount_pence, method, received_on, member=None, application=None, reference="", actor
):
    """Record money the membership office took by hand (cash, cheque, bank transfer), with the
    same effect as paying online: a joining payment for an application admits the applicant and
    issues the share; a share payment from a member without one issues it.

    Locks the application row (joining) or the member row (share)."""
    if method not in MANUAL_METHODS:
        raise PaymentError("Choose cash, cheque or bank transfer; card payments are recorded from Stripe.")
    if amount_pence <= 0:
        raise PaymentError("Enter the amount received, in pounds and pence, more than £0.")
    if (member is None) == (application is None):
        raise PaymentError("Say who paid: a member, or an application to join.")
    if application is not None:
        if kind != joining_payment()[0]:
            raise PaymentError(
                "Someone applying to join pays only what joining costs; record anything else against them "
                "once they are a member."
            )
        # The application's row: a Stripe webhook admitting it at the same moment cannot admit it twice.
        locked = Application.objects.select_for_update().get(pk=application.pk)
        return admit_on_payment(
            locked, amount_pence=amount_pence, method=method, received_on=received_on, actor=actor, reference=reference
        )
    payment = record_payment(
        kind=kind,
        amount_pence=amount_pence,
        method=method,
        received_on=received_on,
        actor=actor,
        member=member,
        reference=reference,
    )
    if kind == PaymentKind.SHARE:
        issue_share(member, issued_on=received_on, payment=payment, actor=actor)
    return payment


def _refund_at_stripe(holding):
    """Refund the share's card payment through Stripe. Keyed on the holding, so a retry after a
    failure here returns the same refund instead of paying twice."""
    refund = stripe_api.client().v1.refunds.create(
        params={
            "payment_intent": holding.payment.stripe_id,
            "amount": holding.value_pence,
            "metadata": {"share_holding": str(holding.pk), "member": holding.member.membership_number},
        },
        options={"idempotency_key": f"share-withdrawal-{holding.pk}"},
    )
    return refund.id


@transaction.atomic(durable=True)
def withdraw_share(member, *, refund_method, on=None, reference="", actor=None):
    """Withdraw the member's share (the member leaves: a society's membership is its share) and
    refund its value, through Stripe for a card payment or by hand. Locks as `_withdraw_share`."""
    return _withdraw_share(member, refund_method=refund_method, on=on, reference=reference, actor=actor)


@transaction.atomic
def _withdraw_share(member, *, refund_method, on=None, reference="", actor=None):
    """`withdraw_share` composed into its caller's transaction (a leaver's refund).

    Locks the member's current holding. A Stripe refund is made inside the transaction with an
    idempotency key: if the database then fails, a retry gets the same refund back, and until
    then reconciliation names it as missing here."""
    on = on or timezone.localdate()
    if not rulebooks.current().payments.share_withdrawable:
        raise PaymentError("Shares in this society cannot be withdrawn under its rules.")
    # The current holding's row: two withdrawals at once would both refund the share.
    holding = ShareHolding.objects.select_for_update().filter(member=member, withdrawn_on__isnull=True).first()
    if holding is None:
        raise PaymentError(f"Member {member.membership_number} holds no share to withdraw.")
    if on < holding.issued_on:
        raise PaymentError(f"The share was issued on {holding.issued_on:%d %B %Y}; withdraw it on or after that day.")
    stripe_id = ""
    if refund_method == PaymentMethod.STRIPE:
        if holding.payment is None or holding.payment.method != PaymentMethod.STRIPE:
            raise PaymentError("This share was not paid by card, so refund it by cash, cheque or bank transfer.")
        stripe_id = _refund_at_stripe(holding)
    elif refund_method not in MANUAL_METHODS:
        raise PaymentError("Choose how the share's value is refunded.")
    refund = (
        record_payment(
            kind=PaymentKind.REFUND,
            amount_pence=-holding.value_pence,
            method=refund_method,
            received_on=on,
            actor=actor,
            member=member,
            refund_of=holding.payment,
            stripe_id=stripe_id,
            reference=reference,
        )
        if holding.payment is not None
        else None
    )
    holding.withdrawn_on = on
    holding.refund = refund
    with_actor(holding, actor).save(update_fields=["withdrawn_on", "refund"])
    record(
        "share.withdrawn",
        f"Share of member {member.membership_number} withdrawn on {on:%d %B %Y}",
        actor=actor,
        subject=holding,
        payload={"member": member.membership_number, "refund": refund and refund.pk},
    )
    if current_membership(member) is not None:
        cease_membership(member, CeaseReason.SHARE_WITHDRAWN, ceased_on=on, actor=actor)
    return holding


@transaction.atomic(durable=True)
def refund_share_of_leaver(holding_pk, *, left_on):
    """Withdraw, on the day they left, the share of someone who is no longer a member, refunding
    it to the card it was paid with. Does nothing if the share is already withdrawn or they are
    a member again. Locks the holding (through `_withdraw_share`)."""
    holding = ShareHolding.objects.select_related("member").get(pk=holding_pk)
    if holding.withdrawn_on is not None or current_membership(holding.member) is not None:
        return holding
    return _withdraw_share(holding.member, refund_method=PaymentMethod.STRIPE, on=left_on)
