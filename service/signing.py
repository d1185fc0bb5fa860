"""Ed25519 signing keys (SPEC §15): `parley key create` writes one; a service given its file
(`PARLEY_SIGNING_KEY`) signs checkpoints and release manifests, and serves its public key.

A signed message is a context line and the RFC 8785 bytes of what is signed, so a signature
of one kind of thing is never a valid signature of another (docs/verifying.md):

    b"parley checkpoint v1\n" + JCS({"position", "root", "size"})
    b"parley release v1\n"    + JCS(the release's manifest without its signature)
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import rfc8785
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

CHECKPOINT = b"parley checkpoint v1\n"
RELEASE = b"parley release v1\n"


class KeyRefused(ValueError):
    pass


@dataclass(frozen=True)
class Signer:
    private: Ed25519PrivateKey

    @property
    def public_key(self) -> bytes:
        return self.private.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)

    @property
    def key_id(self) -> str:
        """The first 16 hex digits of SHA-256 of the raw public key: which key signed."""
        return hashlib.sha256(self.public_key).hexdigest()[:16]

    def sign(self, context: bytes, signed: dict[str, Any]) -> dict[str, str]:
        signature = self.private.sign(context + rfc8785.dumps(signed))
        return {"key_id": self.key_id, "signature": signature.hex()}

    def described(self) -> dict[str, str]:
        return {"key_id": self.key_id, "algorithm": "Ed25519", "public_key": self.public_key.hex()}


def verifies(public_key: str, context: bytes, signed: dict[str, Any], signature: str | None) -> bool:
    """Whether `signature` (hex) is `Signer.sign`'s over `context` and `signed` by the key `public_key` (hex)."""
    if not signature:
        return False
    try:
        Ed25519PublicKey.from_public_bytes(bytes.fromhex(public_key)).verify(
            bytes.fromhex(signature), context + rfc8785.dumps(signed)
        )
    except (InvalidSignature, ValueError):
        return False
    return True


def create_key(path: Path) -> Signer:
    """A new key in a file only its owner may read; an existing file is never overwritten."""
    private = Ed25519PrivateKey.generate()
    pem = private.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise KeyRefused(f"{path} exists: a signing key is never overwritten (move it away first)") from None
    except OSError as error:
        raise KeyRefused(f"{path}: {error.strerror}") from None
    with os.fdopen(descriptor, "wb") as file:
        file.write(pem)
    return Signer(private)


def load_key(path: Path | None) -> Signer | None:
    if path is None:
        return None
    try:
        private = serialization.load_pem_private_key(Path(path).read_bytes(), password=None)
    except OSError as error:
        raise KeyRefused(f"the signing key {path}: {error.strerror}") from None
    except (ValueError, TypeError) as error:
        raise KeyRefused(f"the signing key {path} is not a PEM Ed25519 private key ({error})") from None
    if not isinstance(private, Ed25519PrivateKey):
        raise KeyRefused(f"the signing key {path} is not an Ed25519 key")
    return Signer(private)
