"""Fixtures of the initiatives' tests."""

import pytest


@pytest.fixture(autouse=True)
def upload_folder(settings, tmp_path):
    """The uploads' private storage, in a folder the test can look into."""
    folder = tmp_path / "private"
    settings.STORAGES = {
        **settings.STORAGES,
        "import_export": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": folder},
        },
    }
    return folder / "import-uploads"
