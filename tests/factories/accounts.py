import time

import factory
from django.contrib.auth import get_user_model


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("email",)
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    first_name = factory.Faker("first_name", locale="en_GB")
    last_name = factory.Faker("last_name", locale="en_GB")
    password = factory.django.Password("correct-horse-battery")


def sign_in(client, user):
    """Sign `user` in as if they had typed their password a moment ago, as allauth records it; the
    sensitive actions (allauth's reauthentication) then go ahead without asking for it again.
    `client.force_login` alone is a session whose password was given long ago."""
    client.force_login(user)
    session = client.session
    session["account_authentication_methods_user"] = str(user.pk)
    session["account_authentication_methods"] = [{"method": "password", "at": time.time(), "email": user.email}]
    session.save()
