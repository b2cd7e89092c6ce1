"""A member who leaves stops paying and gets their share back. When `cease_membership` announces
that a membership has ended (`membership_ceased`) and the member holds no other, after the
leaving is committed: their live yearly subscription is cancelled at Stripe, and a withdrawable
share paid by card is withdrawn and refunded to that card, each by a task. A share paid by hand
waits, flagged in the register of shares, for the treasurer to refund it by hand. A transfer
between constituencies ends one membership and begins another in one transaction, so it does
nothing here.

Withdrawing a share itself ends the membership (payments.services.withdraw_share); by then the
share is withdrawn, so nothing is refunded twice."""

from django.db import transaction
from django.dispatch import receiver

from config import rulebooks
from membership.selectors import current_membership
from membership.signals import membership_ceased
from payments import stripe_api
from payments.models import FINAL_STATUSES, PaymentMethod, ShareHolding, Subscription
from payments.tasks import cancel_subscription_of_leaver, refund_share_of_leaver


@receiver(membership_ceased, dispatch_uid="payments.settle_with_leavers")
def settle_with_leavers(sender, membership, **kwargs):
    """`cease_membership` sends this once per membership it ends; the work waits for the commit,
    so a leaving that rolls back moves no money, and re-saving an ended membership sends nothing."""
    transaction.on_commit(lambda: _settle_if_left(membership))


def _settle_if_left(membership):
    member = membership.member
    if current_membership(member) is not None or not stripe_api.is_configured():
        return
    live = Subscription.objects.filter(member=member).exclude(status__in=FINAL_STATUSES)
    for pk in live.values_list("pk", flat=True):
        cancel_subscription_of_leaver.enqueue(pk)
    holding = ShareHolding.objects.filter(
        member=member, withdrawn_on__isnull=True, payment__method=PaymentMethod.STRIPE
    ).first()
    if holding is not None and rulebooks.current().payments.share_withdrawable:
        refund_share_of_leaver.enqueue(holding.pk, membership.ceased_on.isoformat())
