"""Steps browser tests share."""

import time
from urllib.parse import urlsplit

PERIOD = 30  # seconds an authenticator's code lasts; the site accepts the current one only


def authenticator_code(email, *, lasting=5):
    """The six digits the user's authenticator app shows now (a staff user made with `mfa=True`),
    still good for `lasting` seconds: as a person would, wait for the next code rather than type one
    about to change (a code typed in the second it changed is refused, as it should be)."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
    from allauth.mfa.utils import decrypt

    left = PERIOD - time.time() % PERIOD
    if left < lasting:
        time.sleep(left + 0.05)
    authenticator = Authenticator.objects.get(user__email=email, type=Authenticator.Type.TOTP)
    return format_hotp_value(hotp_value(decrypt(authenticator.data["secret"]), int(time.time()) // PERIOD))


def sign_in(page, email, password="correct-horse-battery"):
    """Sign in afresh as `email` (forgetting whoever was signed in), giving the second factor when
    asked, and wait for the page the site sends them to (the home page, or a member's own)."""
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
    page.wait_for_url(lambda url: not urlsplit(url).path.startswith("/accounts/"))  # not a refused code's page
