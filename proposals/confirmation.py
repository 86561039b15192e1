"""The signed link that confirms a proposal's e-mail address.

The link signs the proposal's id and a random key stored with it (``TimestampSigner``
with a salt of its own, so that no other signed value of the site passes for it). It
expires after ``PROPOSAL_CONFIRMATION_MAX_AGE`` seconds and works once: confirming
empties the key, in the same conditional update that changes the state.
"""

import secrets

from django.conf import settings
from django.core import signing

SALT = "proposals.confirmation"


class ConfirmationError(Exception):
    """Why a link does not confirm: ``code`` is "forged", "expired" or "used"."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def new_key() -> str:
    return secrets.token_hex(16)


def max_age() -> int:
    return settings.PROPOSAL_CONFIRMATION_MAX_AGE


def make_token(proposal) -> str:
    return signing.TimestampSigner(salt=SALT).sign(f"{proposal.pk}:{proposal.confirmation_key}")


def read_token(token: str) -> tuple[int, str]:
    """The (proposal id, key) a token signs; ConfirmationError if forged or expired."""
    signer = signing.TimestampSigner(salt=SALT)
    try:
        value = signer.unsign(token, max_age=max_age())
    except signing.SignatureExpired:
        raise ConfirmationError("expired") from None
    except signing.BadSignature:
        raise ConfirmationError("forged") from None
    pk, _sep, key = value.partition(":")
    if not pk.isdigit() or not key:
        raise ConfirmationError("forged")
    return int(pk), key
