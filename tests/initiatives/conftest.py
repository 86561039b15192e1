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


@pytest.fixture
def yamada(saiwai_staff):
    """Ward staff of 幸区 with a name, as the history and the refusals show people."""
    saiwai_staff.last_name, saiwai_staff.first_name = "山田", "花子"
    saiwai_staff.save()
    return saiwai_staff
