import pytest


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    # The default hasher costs about 0.23 s a check here; tests need no strength.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
