"""Steps browser tests share."""

import time


def authenticator_code(email):
    """The six digits the user's authenticator app shows now (a staff user made with `mfa=True`)."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
    from allauth.mfa.utils import decrypt

    authenticator = Authenticator.objects.get(user__email=email, type=Authenticator.Type.TOTP)
    return format_hotp_value(hotp_value(decrypt(authenticator.data["secret"]), int(time.time()) // 30))


def sign_in(page, email, password="correct-horse-battery"):
    """Sign in afresh as `email` (forgetting whoever was signed in), giving the second factor when
    asked, and wait for the home page."""
    page.context.clear_cookies()
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    with page.expect_navigation():  # the next page, not the sign-in page it is leaving
        page.get_by_role("button", name="Sign In").click()
    if "/2fa/authenticate" in page.url:
        code = page.locator("input[name=code]")
        code.fill(authenticator_code(email))
        with page.expect_navigation():
            code.press("Enter")
    page.wait_for_url("**/")
