"""Demo payments, with no call to Stripe. In a society whose rulebook asks for a share
(ORGANISATION_TYPE=cooperative), the longest-standing members' shares are on the register,
paid by hand, and one has been withdrawn with its refund; otherwise a few donations are
recorded. Idempotent: once the demo shares or donations exist, nothing is added."""

import datetime

from config import rulebooks
from membership.models import Membership
from payments.models import Payment, PaymentKind, PaymentMethod, ShareHolding
from payments.services import record_manual_payment, withdraw_share

SHARE_MEMBERS = 200
DONORS = 12
METHODS = (PaymentMethod.CASH, PaymentMethod.CHEQUE, PaymentMethod.BANK_TRANSFER)


def _longest_standing(count):
    current = Membership.objects.filter(ceased_on__isnull=True).select_related("member").order_by("admitted_on", "pk")
    return list(current[:count])


def seed_shares(out):
    if Payment.objects.filter(reference__startswith="DEMO-SHARE-").exists():
        return
    share_pence = rulebooks.current().payments.share_pence
    holders = set(ShareHolding.objects.filter(withdrawn_on__isnull=True).values_list("member_id", flat=True))
    issued = 0
    for n, membership in enumerate(_longest_standing(SHARE_MEMBERS)):
        if membership.member_id in holders:
            continue
        record_manual_payment(
            kind=PaymentKind.SHARE,
            amount_pence=share_pence,
            method=METHODS[n % len(METHODS)],
            received_on=membership.admitted_on,
            member=membership.member,
            reference=f"DEMO-SHARE-{n:04d}",
            actor=None,
        )
        issued += 1
    if issued:
        leaver = _longest_standing(1)[0]
        withdraw_share(
            leaver.member,
            refund_method=PaymentMethod.BANK_TRANSFER,
            on=max(leaver.admitted_on, datetime.date.today() - datetime.timedelta(days=30)),
            reference="DEMO-REFUND",
        )
    out.write(f"Shares: {issued} issued (paid by hand, demo)")


def seed_donations(out):
    if Payment.objects.filter(reference__startswith="DEMO-DONATION-").exists():
        return
    made = 0
    for n, membership in enumerate(_longest_standing(DONORS)):
        record_manual_payment(
            kind=PaymentKind.DONATION,
            amount_pence=500 * (n % 4 + 1),
            method=METHODS[n % len(METHODS)],
            received_on=datetime.date.today() - datetime.timedelta(days=7 * n),
            member=membership.member,
            reference=f"DEMO-DONATION-{n:04d}",
            actor=None,
        )
        made += 1
    out.write(f"Donations: {made} recorded (by hand, demo)")


def seed(out):
    rules = rulebooks.current().payments
    if rules.share_required:
        seed_shares(out)
    elif rules.donations:
        seed_donations(out)
