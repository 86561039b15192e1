from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from core.client_ip import client_ip

pytestmark = pytest.mark.django_db

LOGIN_URL = reverse("login")
PASSWORD = "password"  # as tests.factories.UserFactory sets it


def sign_in(client, username, password, **headers):
    return client.post(LOGIN_URL, {"username": username, "password": password}, **headers)


def fail(client, username, times, **headers):
    return [sign_in(client, username, "wrong", **headers).status_code for _ in range(times)]


def test_the_sign_in_page_has_a_csrf_protected_form(client):
    page = client.get(LOGIN_URL).content.decode()

    assert 'name="csrfmiddlewaretoken"' in page
    assert 'name="username"' in page


def test_a_member_signs_in_and_out(client, member):
    response = sign_in(client, member.username, PASSWORD)

    assert response.status_code == 302
    assert client.get(reverse("feedback:my-comments")).status_code == 200
    assert client.post(reverse("logout"))["Location"] == reverse("home")
    assert client.get(reverse("feedback:my-comments")).status_code == 302


def test_signing_in_returns_to_the_page_asked_for(client, member):
    response = client.post(
        LOGIN_URL, {"username": member.username, "password": PASSWORD, "next": "/cases/1/"}
    )

    assert response["Location"] == "/cases/1/"


def test_a_wrong_password_shows_the_form_again(client, member):
    response = sign_in(client, member.username, "wrong")

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_the_fifth_failure_locks_the_account_from_that_address(client, member):
    assert fail(client, member.username, 5) == [200, 200, 200, 200, 429]

    response = sign_in(client, member.username, PASSWORD)

    assert response.status_code == 429
    assert "15分間" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_success_before_the_limit_resets_the_count(client, member):
    fail(client, member.username, 4)
    sign_in(client, member.username, PASSWORD)
    client.post(reverse("logout"))

    assert fail(client, member.username, 4) == [200, 200, 200, 200]


def test_the_lock_lifts_by_itself_after_the_cool_off(client, member):
    fail(client, member.username, 5)
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))

    assert sign_in(client, member.username, PASSWORD).status_code == 302


def test_the_lock_holds_before_the_cool_off_ends(client, member):
    fail(client, member.username, 5)
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=14))

    assert sign_in(client, member.username, PASSWORD).status_code == 429


def test_the_lock_is_for_one_account_only(client, member, other_member):
    fail(client, member.username, 5)

    assert sign_in(client, other_member.username, PASSWORD).status_code == 302


def test_a_forged_forwarded_header_does_not_escape_the_lock_without_a_proxy(client, member):
    statuses = [
        sign_in(
            client, member.username, "wrong", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}"
        ).status_code
        for n in range(5)
    ]

    assert statuses[-1] == 429
    assert AccessAttempt.objects.get().ip_address == "127.0.0.1"


def test_behind_a_trusted_proxy_each_client_address_counts_apart(client, member, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    fail(client, member.username, 5, HTTP_X_FORWARDED_FOR="203.0.113.5")

    other_client = sign_in(client, member.username, PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.7")
    forged = sign_in(
        client, member.username, PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.7, 203.0.113.5"
    )

    assert other_client.status_code == 302
    assert forged.status_code == 429


@pytest.mark.parametrize(
    ("count", "forwarded", "expected"),
    [
        (0, "203.0.113.5", "10.0.0.1"),
        (1, "203.0.113.5", "203.0.113.5"),
        (1, "198.51.100.1, 203.0.113.5", "203.0.113.5"),
        (2, "198.51.100.1, 203.0.113.5, 10.0.0.2", "203.0.113.5"),
        (2, "203.0.113.5", "10.0.0.1"),
        (1, "not-an-address", "10.0.0.1"),
        (1, "", "10.0.0.1"),
        (1, "2001:db8::1", "2001:db8::1"),
    ],
)
def test_the_client_address_is_read_past_the_trusted_proxies(settings, count, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = count
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)

    assert client_ip(request) == expected
