"""The Permissions-Policy header: the portal uses none of the browser's powerful features,
so a page (or anything injected into one) may not ask for them."""

from django.conf import settings

DEFAULT_POLICY = {
    "accelerometer": "()",
    "autoplay": "()",
    "camera": "()",
    "display-capture": "()",
    "geolocation": "()",
    "gyroscope": "()",
    "magnetometer": "()",
    "microphone": "()",
    "midi": "()",
    "payment": "()",
    "usb": "()",
}


def header_value() -> str:
    policy = getattr(settings, "PERMISSIONS_POLICY", DEFAULT_POLICY)
    return ", ".join(f"{feature}={allow}" for feature, allow in policy.items())


class PermissionsPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.value = header_value()

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", self.value)
        return response
