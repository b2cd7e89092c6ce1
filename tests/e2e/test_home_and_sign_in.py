def test_a_member_opens_the_home_page_and_signs_in(page, make_user, assert_accessible):
    make_user("ada@example.org", first_name="Ada")

    page.goto("/")
    assert page.locator("h1").inner_text()
    assert_accessible(page)

    page.get_by_role("link", name="Sign in").click()
    assert_accessible(page)
    page.get_by_label("Email").fill("ada@example.org")
    page.get_by_label("Password").fill("correct-horse-battery")
    page.get_by_role("button", name="Sign In").click()

    page.wait_for_url("**/")
    assert page.get_by_text("Signed in as ada@example.org").is_visible()
    assert_accessible(page)


def test_the_skip_link_is_the_first_thing_a_keyboard_reaches(page):
    page.goto("/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Skip to main content"
