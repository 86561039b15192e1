"""The Nu HTML Checker finds no error in the HTML of any page type, in either language.

All pages go to the checker in one run: starting its JVM costs seconds.
"""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from tests.browser.checks import assert_valid
from tests.browser.pages import (
    COMMENT_PAGES,
    LANGUAGES,
    PAGES,
    comment_page_path,
    comment_page_user,
    expected_status,
    page_path,
    signed_in_client,
)

pytestmark = pytest.mark.browser


def test_every_page_type_is_valid_html(client, comments):
    documents = {}
    for language in LANGUAGES:
        for name in PAGES:
            path = page_path(name, language)
            response = client.get(path)
            assert response.status_code == expected_status(name), path
            documents[path] = response.content
        for name in COMMENT_PAGES:
            path = comment_page_path(name, language, comments)
            response = signed_in_client(comment_page_user(name, comments)).get(path)
            assert response.status_code == 200, f"{name}: {path}"
            documents[f"{name}: {path}"] = response.content
    form = reverse("feedback:comment-create", args=[comments.case.number])
    decide = reverse("feedback:moderation-decide", args=[comments.pending.pk])
    refused = {
        "comment form with errors": signed_in_client(comments.member).post(form, {"body": ""}),
        "moderation with errors": signed_in_client(comments.secretariat).post(
            decide, {"decision": "rejected"}
        ),
    }
    for language in LANGUAGES:
        with translation.override(language):
            new_proposal = reverse("proposals:new")
        refused[f"proposal form with errors ({language})"] = Client().post(
            new_proposal, {"title": "", "email": "x"}
        )
    for name, response in refused.items():
        assert response.status_code == 400, name
        documents[name] = response.content

    assert_valid(documents)
