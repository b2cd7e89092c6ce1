from django_tasks import task

from payments.services import process_event


@task()
def process_stripe_event(event_pk):
    """Process one stored Stripe event (a webhook never waits on it)."""
    process_event(event_pk)
