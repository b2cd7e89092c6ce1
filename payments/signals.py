"""A member who leaves stops paying and gets their share back. When a membership ends and the
member holds no other, after the leaving is committed: their live yearly subscription is
cancelled at Stripe, and a withdrawable share paid by card is withdrawn and refunded to that
card, each by a task. A share paid by hand waits, flagged in the register of shares, for the
treasurer to refund it by hand. A transfer between constituencies ends one membership and
begins another in one transaction, so it does nothing here.

Withdrawing a share itself ends the membership (payments.services.withdraw_share); by then the
share is withdrawn, so nothing is refunded twice."""

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from config import rulebooks
from membership.models import Membership
from membership.selectors import current_membership
from payments import stripe_api
from payments.models import FINAL_STATUSES, PaymentMethod, ShareHolding, Subscription


@receiver(post_save, sender=Membership, dispatch_uid="payments.settle_with_leavers")
def settle_with_leavers(sender, instance, **kwargs):
    if instance.ceased_on is not None:
        transaction.on_commit(lambda: _settle_if_left(instance))


def _settle_if_left(membership):
    from payments.tasks import cancel_subscription_of_leaver, refund_share_of_leaver

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
