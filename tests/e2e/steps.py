"""Steps browser tests share."""


def sign_in(page, email, password="correct-horse-battery"):
    """Sign in afresh as `email` (forgetting whoever was signed in) and wait for the home page."""
    page.context.clear_cookies()
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url("**/")
