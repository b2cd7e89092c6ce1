import datetime

from tests.factories.membership import ConstituencyFactory, applicant


def application_awaiting_payment(constituency=None, **details):
    """An application made through the join service in a society that asks for a share."""
    from membership.services import apply

    return apply(constituency or ConstituencyFactory(), **applicant(**details))


def manual_share_member(constituency=None, on=datetime.date(2025, 3, 1), method="cash", **details):
    """A member admitted by paying their share by hand at the membership office."""
    from payments.services import joining_payment, record_manual_payment

    application = application_awaiting_payment(constituency, **details)
    kind, pence = joining_payment()
    payment = record_manual_payment(
        kind=kind, amount_pence=pence, method=method, received_on=on, application=application, actor=None
    )
    return payment.member
