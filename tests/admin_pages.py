"""The admin's addresses, and the probe the access tests run over every id of a model."""

OBJECT_ACTIONS = ["change", "delete", "history"]


def url(model_path, pk=None, action=""):
    if pk is None:
        return f"/admin/{model_path}/{action + '/' if action else ''}"
    return f"/admin/{model_path}/{pk}/{action}/"


def assert_no_id_opens(client, model_path, action, objects):
    """Every id from 1 to past the highest of ``objects`` answers 403 or 404, so that no
    object of this model opens to the client, whichever id it guesses."""
    highest = max(obj.pk for obj in objects)
    for pk in range(1, highest + 3):
        status = client.get(url(model_path, pk, action)).status_code
        assert status in (403, 404), (pk, status)
