import pytest


@pytest.fixture
def officer(client, make_user):
    """A membership officer with a second factor, signed in on `client`."""
    user = make_user("officer@example.org", roles=["Membership officer"], mfa=True)
    client.force_login(user)
    return user
