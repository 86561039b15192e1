"""Fixtures of the public pages' tests."""

import pytest
from django.urls import reverse


@pytest.fixture
def report_page(client, report_data):
    response = client.get(reverse("initiatives:report"))
    assert response.status_code == 200
    return response
