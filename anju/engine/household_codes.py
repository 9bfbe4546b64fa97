"""Household codes: unguessable, printable, typed on a phone, and never stored in clear.

A code is 10 characters from a 25-symbol alphabet without look-alikes (no 0/O, 1/I/L, 2/Z,
5/S, U/V): 10·log2(25) ≈ 46.4 bits of entropy, above the 40 bits the portal requires. It is
printed in two groups of five ("K7RQ4-HXM9C"); input is normalised (case, spaces,
dashes). Only a keyed HMAC-SHA256 digest is
stored, so a lost slip is replaced by a new code, never looked up.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import secrets

ALPHABET = "346789ABCDEFGHJKMNPQRTWXY"
LENGTH = 10
GROUP = 5
ENTROPY_BITS = LENGTH * math.log2(len(ALPHABET))


def new_code() -> str:
    """A fresh random code, grouped for printing."""
    raw = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    return format_code(raw)


def format_code(raw: str) -> str:
    return "-".join(raw[i : i + GROUP] for i in range(0, len(raw), GROUP))


def normalise(text: str) -> str:
    """What a resident typed → the canonical ungrouped code (may still be invalid)."""
    return "".join(ch for ch in str(text).upper() if ch.isalnum())


def is_well_formed(canonical: str) -> bool:
    return len(canonical) == LENGTH and all(ch in ALPHABET for ch in canonical)


def code_digest(canonical: str, key: bytes) -> str:
    """The keyed hash stored instead of the code."""
    return hmac.new(key, canonical.encode("ascii"), hashlib.sha256).hexdigest()
