"""The client's IP address, as django-axes counts failed sign-ins by it."""

import ipaddress

from django.conf import settings


def client_ip(request) -> str:
    """REMOTE_ADDR, or the address the outermost of our reverse proxies saw.

    With ``TRUSTED_PROXY_COUNT`` proxies in front, each appending the address it saw to
    X-Forwarded-For, the client is that many entries from the right; whatever a client
    wrote into the header itself lies further left and is ignored. Written here rather than
    through django-ipware, whose proxy-count rules give no address for the plain one-proxy
    case (a header holding just the client).
    """
    remote_addr = request.META.get("REMOTE_ADDR", "")
    count = settings.TRUSTED_PROXY_COUNT
    if not count:
        return remote_addr
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    if len(forwarded) < count:
        return remote_addr
    try:
        return str(ipaddress.ip_address(forwarded[-count]))
    except ValueError:
        return remote_addr
