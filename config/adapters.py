"""django-allauth, adapted: its mail carries sign-in links, confirmation links and codes, so it is
delivered at once with the delivery backend, never queued in the task table (`config.mail`)."""

from allauth.account.adapter import DefaultAccountAdapter

from config.mail import delivery_connection


class AccountAdapter(DefaultAccountAdapter):
    def render_mail(self, template_prefix, email, context, headers=None):
        message = super().render_mail(template_prefix, email, context, headers=headers)
        message.connection = delivery_connection()  # a secret: not through the task queue
        return message
