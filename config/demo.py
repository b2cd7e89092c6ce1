"""Demo people: one staff user for each role, and a member account. Fictional, idempotent."""

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model

from config.roles import ADMIN_ACCESS, ROLES, grant_role

DEMO_PASSWORD = "commonweal-demo"
DEMO_DOMAIN = "northfield.example"


def demo_email(role_name):
    return f"{role_name.lower().replace(' ', '.')}@{DEMO_DOMAIN}"


def ensure_user(email, *, first_name, last_name, role=None, superuser=False):
    User = get_user_model()
    user, created = User.objects.get_or_create(email=email, defaults={"first_name": first_name, "last_name": last_name})
    if created:
        user.set_password(DEMO_PASSWORD)
        user.is_superuser = superuser
        user.save()
    EmailAddress.objects.update_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
    if role:
        grant_role(user, role)
    return user


def seed(out):
    logins = []
    for role_name in ROLES:
        email = demo_email(role_name)
        ensure_user(
            email,
            first_name="Demo",
            last_name=role_name.title(),
            role=role_name,
            superuser=role_name == "Administrator",
        )
        logins.append((role_name, email))
    out.write(f"Demo sign-ins (password for all: {DEMO_PASSWORD}):")
    for role_name, email in logins:
        first_page = "/admin/" if ADMIN_ACCESS in ROLES[role_name].permissions else "/elections/postbags/"
        staff = f" — staff: set up two-factor authentication on first visit to {first_page}"
        out.write(f"  {role_name:<20} {email}{staff if ROLES[role_name].staff else ''}")
