"""Serving the files: streamed on first request, kept in the media storage until the data
changes, then served from there. A file is kept under the data's version, so a change
makes the next request build it afresh; older versions are deleted once a newer file is
kept. A client that disconnects midway leaves nothing kept.
"""

import hashlib
import logging
import tempfile

from django.core.files import File
from django.core.files.storage import default_storage
from django.http import FileResponse, StreamingHttpResponse
from django.utils.cache import patch_cache_control

from portal.open_data.freshness import freshness

ROOT = "open-data"
logger = logging.getLogger(__name__)


def kept_path(request, filename: str) -> str:
    # Files hold absolute URLs: one copy per address the portal is reached at.
    site = hashlib.sha256(request.build_absolute_uri("/").encode()).hexdigest()[:12]
    return f"{ROOT}/{freshness(request).key}/{site}/{filename}"


def _forget_other_versions(current: str) -> None:
    try:
        versions, _files = default_storage.listdir(ROOT)
        for version in versions:
            if version == current:
                continue
            sites, _files = default_storage.listdir(f"{ROOT}/{version}")
            for site in sites:
                _dirs, files = default_storage.listdir(f"{ROOT}/{version}/{site}")
                for name in files:
                    default_storage.delete(f"{ROOT}/{version}/{site}/{name}")
    except (NotImplementedError, FileNotFoundError, OSError):
        logger.warning("Could not delete the open data of older versions.", exc_info=True)


def _kept_as_it_streams(chunks, path: str, version: str):
    with tempfile.TemporaryFile() as file:
        for chunk in chunks:
            file.write(chunk)
            yield chunk
        file.seek(0)
        if not default_storage.exists(path):
            default_storage.save(path, File(file, name=path.rsplit("/", 1)[-1]))
        _forget_other_versions(version)


def serve(request, filename: str, content_type: str, chunks):
    """The file ``filename``: kept, or built by ``chunks()`` (an iterator of bytes)."""
    path = kept_path(request, filename)
    if default_storage.exists(path):
        response = FileResponse(default_storage.open(path, "rb"), content_type=content_type)
    else:
        response = StreamingHttpResponse(
            _kept_as_it_streams(chunks(), path, freshness(request).key),
            content_type=content_type,
        )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    # Stored by browsers and proxies, and asked again with If-None-Match each time.
    patch_cache_control(response, public=True, no_cache=True)
    return response
