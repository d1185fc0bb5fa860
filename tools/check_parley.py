#!/usr/bin/env python3
"""Check what a Parley service published, without Parley: standard library only.

Written from RFC 8785 (JCS), RFC 9162 (Merkle trees, §2.1), RFC 8032 (Ed25519) and
docs/verifying.md; it imports nothing of Parley's. Copy this one file anywhere with Python 3.9+.

    check_parley.py chain CHAIN.jsonl [--redactions SOURCE]
                                                 every digest, commitment and salted value
    check_parley.py inclusion PROOF.json         an event's audit path (GET /events/{id}/proof)
    check_parley.py consistency PROOF.json       two checkpoints (GET /checkpoints/{n}/consistency?from=m)
    check_parley.py checkpoint CHECKPOINT.json [--chain CHAIN.jsonl] --key HEX
                                                 a checkpoint's signature, and its root against a chain file
    check_parley.py release DIR --key HEX [--redactions SOURCE]
                                                 a release: its chain, checkpoint and signed manifest

A redacted value (its marker in place of the value, its salt withheld) must be named by a
redaction record: a redaction's fact in the chain itself, or in SOURCE, given for a copy whose
holder applied a later redaction: a newer release's folder (checked with --key), or a saved
GET /redactions answer (each entry's signature checked with --key).

Exit 0 when everything checks, 1 with the first thing that does not, 2 for bad usage.
"""

from __future__ import annotations

import hashlib
import json
import math
import sys
from pathlib import Path

# --- RFC 8785: JSON Canonicalization Scheme ---------------------------------------------------

_ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _string(text: str) -> str:
    out = []
    for char in text:
        if char in _ESCAPES:
            out.append(_ESCAPES[char])
        elif ord(char) < 0x20:
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def _number(value: float) -> str:
    """ECMAScript's Number.prototype.toString, as RFC 8785 §3.2.2.3 requires."""
    if math.isnan(value) or math.isinf(value):
        raise ValueError("JSON has no NaN or Infinity")
    if value == 0:
        return "0"
    sign, text = ("-" if value < 0 else ""), repr(abs(float(value)))  # repr: the shortest round-tripping digits
    mantissa, _, exponent = text.partition("e")
    whole, _, fraction = mantissa.partition(".")
    digits, n = whole + fraction, len(whole) + int(exponent or 0)  # the value is 0.digits × 10^n
    while digits.startswith("0"):
        digits, n = digits[1:], n - 1
    digits = digits.rstrip("0")
    k = len(digits)
    if k <= n <= 21:
        return sign + digits + "0" * (n - k)
    if 0 < n <= 21:
        return sign + digits[:n] + "." + digits[n:]
    if -6 < n <= 0:
        return sign + "0." + "0" * (-n) + digits
    exp = n - 1
    return sign + digits[0] + ("." + digits[1:] if k > 1 else "") + "e" + ("+" if exp >= 0 else "-") + str(abs(exp))


def jcs(value) -> bytes:
    return _jcs(value).encode("utf-8")


def _jcs(value) -> str:
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return _number(value)
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, list):
        return "[" + ",".join(_jcs(item) for item in value) + "]"
    if isinstance(value, dict):
        keys = sorted(value, key=lambda key: key.encode("utf-16-be"))  # by UTF-16 code units
        return "{" + ",".join(_string(key) + ":" + _jcs(value[key]) for key in keys) + "}"
    raise ValueError(f"not JSON: {value!r}")


# --- The chain (docs/verifying.md) --------------------------------------------------------------

GENESIS = bytes(32)
BODY = ("data", "sources", "note")


def is_redacted(value) -> bool:
    """A redacted value's place: {"redacted": true, "reason": …} (docs/verifying.md §2)."""
    return isinstance(value, dict) and value.get("redacted") is True and set(value) == {"redacted", "reason"}


def leaves(body: dict, committed=()) -> list:
    """(dotted path, value) of each value of the body, in its order; an empty list or object is a
    value, and so is a redacted value's marker where the commitment names its path."""
    out = []

    def walk(value, path):
        if is_redacted(value) and path in committed:
            out.append((path, value))
        elif isinstance(value, dict) and value:
            for key, item in value.items():
                walk(item, f"{path}.{key}")
        elif isinstance(value, list) and value:
            for index, item in enumerate(value):
                walk(item, f"{path}.{index}")
        else:
            out.append((path, value))

    for name in BODY:
        walk(body.get(name), name)
    if "imported_recorded_at" in body:  # a restamped import's file time, committed as a value
        walk(body["imported_recorded_at"], "imported_recorded_at")
    return out


def link(previous: bytes, header: dict, commitment: dict) -> bytes:
    return hashlib.sha256(previous + jcs(header) + jcs(commitment)).digest()


class Failed(Exception):
    pass


REDACTIONS = "redactions"  # the subject of a redaction's own fact


def records_in(lines: list) -> dict:
    """(event id, path) → the redaction's fact naming it, of the redactions a chain records."""
    found = {}
    for entry in lines:
        header = entry.get("header") or {}
        if header.get("subject") == REDACTIONS:
            data = entry["body"]["data"]
            record = {
                "redaction_id": header["event_id"],
                "recorded_at": header["recorded_at"],
                "recorded_by": header["recorded_by"],
                "reason": data["reason"],
            }
            found.update({(data["event_id"], path): record for path in data["fields"]})
    return found


REDACTION = b"parley redaction v1\n"


def records_listed(listed, key) -> dict:
    """The same from a GET /redactions answer, each entry's signature checked when a key is given."""
    entries = listed.get("redactions") if isinstance(listed, dict) else listed
    if not isinstance(entries, list):
        raise Failed("the redactions given are not a GET /redactions answer")
    found = {}
    for entry in entries:
        if key is not None:
            if "signature" not in entry:
                raise Failed(f"redaction {entry.get('redaction_id')} is not signed")
            signed = {k: v for k, v in entry.items() if k not in ("key_id", "signature")}
            check_signature(REDACTION, signed, entry["signature"], key)
        found.update({(entry["event_id"], path): entry for path in entry["fields"]})
    return found


def check_chain(lines: list, redacted: list | None = None, records: dict | None = None) -> list:
    """Every link of a chain file, from the first fact; the digests, in leaf order. Each redacted
    value met is added to `redacted` as (position, path, reason, the redaction naming it); each
    must be named by a redaction the chain itself or `records` holds."""
    records = {**records_in(lines), **(records or {})}
    previous, digests = GENESIS, []
    for number, entry in enumerate(lines):
        where = f"line {number + 1} (position {entry.get('position')})"
        if entry.get("leaf_index") != number:
            raise Failed(f"{where}: leaf index {entry.get('leaf_index')}, expected {number}")
        header, commitment = entry["header"], entry["commitment"]
        if header.get("position") != entry["position"]:
            raise Failed(f"{where}: the header's position is {header.get('position')}")
        if "body" in entry:
            found = check_body(where, entry["body"], entry.get("salts", {}), commitment)
            for path, reason in found:
                record = records.get((header.get("event_id"), path))
                if record is None:
                    raise Failed(f"{where}: {path} holds a redaction marker that no redaction record names")
                if record["reason"] != reason:
                    raise Failed(f"{where}: {path}: the marker's reason is not its redaction's")
                if redacted is not None:
                    redacted.append((entry["position"], path, reason, record))
        previous = link(previous, header, commitment)
        if previous.hex() != entry["digest"]:
            raise Failed(f"{where}: the digest does not match its header, commitment and the digest before it")
        digests.append(previous)
    return digests


def check_body(where: str, body: dict, salts: dict, commitment: dict) -> list:
    """Check each value against its committed hash; the redacted ones, as (path, reason)."""
    values = leaves(body, commitment)
    if sorted(path for path, _ in values) != sorted(commitment):
        raise Failed(f"{where}: the body's values are not the ones committed to")
    redacted = []
    for path, value in values:
        salt = salts.get(path)
        if is_redacted(value):
            if salt is not None:
                raise Failed(f"{where}: {path} is marked redacted but its salt is given")
            redacted.append((path, value["reason"]))
            continue  # its salt withheld, its hash still committed: the digest below checks it
        if salt is None:
            raise Failed(f"{where}: the value at {path} has no salt, and is not marked redacted")
        if hashlib.sha256(bytes.fromhex(salt) + jcs(value)).hexdigest() != commitment[path]:
            raise Failed(f"{where}: the value at {path} is not the one committed to")
    return redacted


# --- RFC 9162 §2.1: Merkle tree, inclusion and consistency ------------------------------------


def leaf_hash(digest: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + digest).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def mth(digests: list) -> bytes:
    """MTH(D[n]) of RFC 9162 §2.1.1, as written there."""
    n = len(digests)
    if n == 0:
        return hashlib.sha256(b"").digest()
    if n == 1:
        return leaf_hash(digests[0])
    k = 1
    while k * 2 < n:
        k *= 2
    return node_hash(mth(digests[:k]), mth(digests[k:]))


def verify_inclusion(leaf_index: int, tree_size: int, leaf: bytes, path: list, root: bytes) -> bool:
    """RFC 9162 §2.1.3.2."""
    if leaf_index >= tree_size:
        return False
    fn, sn, r = leaf_index, tree_size - 1, leaf
    for p in path:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            if not fn & 1:
                while not fn & 1 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == root


def verify_consistency(first: int, second: int, first_hash: bytes, second_hash: bytes, proof: list) -> bool:
    """RFC 9162 §2.1.4.2."""
    if first > second:
        return False
    if first == second:
        return not proof and first_hash == second_hash
    if first == 0:
        return not proof
    if not proof:
        return False
    if first & (first - 1) == 0:  # an exact power of 2
        proof = [first_hash, *proof]
    fn, sn = first - 1, second - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = proof[0]
    for c in proof[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr, sr = node_hash(c, fr), node_hash(c, sr)
            if not fn & 1:
                while not fn & 1 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    return fr == first_hash and sr == second_hash and sn == 0


# --- RFC 8032 §5.1.7: Ed25519 verification (its §6 reference code) ------------------------------

_P = 2**255 - 19
_L = 2**252 + 27742317777372353535851937790883648493
_D = -121665 * pow(121666, _P - 2, _P) % _P
_I = pow(2, (_P - 1) // 4, _P)


def _recover_x(y: int, sign: int):
    if y >= _P:
        return None
    x2 = (y * y - 1) * pow(_D * y * y + 1, _P - 2, _P)
    if x2 % _P == 0:
        return None if sign else 0
    x = pow(x2, (_P + 3) // 8, _P)
    if (x * x - x2) % _P != 0:
        x = x * _I % _P
    if (x * x - x2) % _P != 0:
        return None
    if (x & 1) != sign:
        x = _P - x
    return x


_GY = 4 * pow(5, _P - 2, _P) % _P
_GX = _recover_x(_GY, 0)
_G = (_GX, _GY, 1, _GX * _GY % _P)


def _add(p, q):
    a = (p[1] - p[0]) * (q[1] - q[0]) % _P
    b = (p[1] + p[0]) * (q[1] + q[0]) % _P
    c = 2 * p[3] * q[3] * _D % _P
    d = 2 * p[2] * q[2] % _P
    e, f, g, h = b - a, d - c, d + c, b + a
    return (e * f, g * h, f * g, e * h)


def _mul(s: int, p):
    q = (0, 1, 1, 0)
    while s > 0:
        if s & 1:
            q = _add(q, p)
        p = _add(p, p)
        s >>= 1
    return q


def _equal(p, q) -> bool:
    return (p[0] * q[2] - q[0] * p[2]) % _P == 0 and (p[1] * q[2] - q[1] * p[2]) % _P == 0


def _decompress(s: bytes):
    if len(s) != 32:
        return None
    y = int.from_bytes(s, "little")
    sign, y = y >> 255, y & ((1 << 255) - 1)
    x = _recover_x(y, sign)
    return None if x is None else (x, y, 1, x * y % _P)


def verify_ed25519(public: bytes, message: bytes, signature: bytes) -> bool:
    if len(public) != 32 or len(signature) != 64:
        return False
    a, r = _decompress(public), _decompress(signature[:32])
    if a is None or r is None:
        return False
    s = int.from_bytes(signature[32:], "little")
    if s >= _L:
        return False
    h = int.from_bytes(hashlib.sha512(signature[:32] + public + message).digest(), "little") % _L
    return _equal(_mul(s, _G), _add(r, _mul(h, a)))


CHECKPOINT = b"parley checkpoint v1\n"
RELEASE = b"parley release v1\n"


def check_signature(context: bytes, signed: dict, signature: str, key: str) -> None:
    if not verify_ed25519(bytes.fromhex(key), context + jcs(signed), bytes.fromhex(signature)):
        raise Failed("the signature does not verify with the given public key")


def check_checkpoint(checkpoint: dict, key: str | None, digests: list | None = None) -> None:
    if digests is not None:
        if checkpoint["size"] != len(digests):
            raise Failed(f"the checkpoint's size is {checkpoint['size']}, the chain holds {len(digests)}")
        if mth(digests).hex() != checkpoint["root"]:
            raise Failed("the checkpoint's root is not the Merkle tree hash of the chain's digests")
    if key is not None:
        if "signature" not in checkpoint:
            raise Failed("the checkpoint is not signed")
        check_signature(CHECKPOINT, {k: checkpoint[k] for k in ("position", "root", "size")}, checkpoint["signature"], key)


def check_inclusion(proof: dict) -> None:
    tree = proof["checkpoint"]
    ok = verify_inclusion(
        proof["leaf_index"],
        tree["size"],
        leaf_hash(bytes.fromhex(proof["digest"])),
        [bytes.fromhex(h) for h in proof["audit_path"]],
        bytes.fromhex(tree["root"]),
    )
    if not ok:
        raise Failed(f"the audit path does not lead from leaf {proof['leaf_index']} to the checkpoint's root")


def check_consistency(proof: dict) -> None:
    old, new = proof["from"], proof["to"]
    ok = verify_consistency(
        old["size"],
        new["size"],
        bytes.fromhex(old["root"]),
        bytes.fromhex(new["root"]),
        [bytes.fromhex(h) for h in proof["proof"]],
    )
    if not ok:
        raise Failed(f"the tree of size {old['size']} is not shown to be a prefix of the tree of size {new['size']}")


def check_release(folder: Path, key: str, redacted: list | None = None, records: dict | None = None) -> int:
    """A release's signature, chain and checkpoint. A chain.jsonl that is not the file the signed
    manifest names still holds when every line checks against the signed checkpoint: its lines
    then differ only by redacted values that redaction records name (a holder's copy redacted since)."""
    manifest = json.loads((folder / "release.json").read_text(encoding="utf-8"))
    signed = {k: v for k, v in manifest.items() if k not in ("signature", "key_id")}
    if "signature" not in manifest:
        raise Failed("release.json is not signed")
    check_signature(RELEASE, signed, manifest["signature"], key)
    chain_file = folder / "chain.jsonl"
    digests = check_chain(read_lines(chain_file), redacted, records)
    check_checkpoint(manifest["checkpoint"], key, digests)
    return len(digests)


def records_from(source: Path, key) -> dict:
    """The redaction records SOURCE holds: a release's folder (checked whole), or a GET /redactions answer."""
    if source.is_dir():
        if key is None:
            raise Failed("--redactions with a release's folder needs --key HEX to check it")
        check_release(source, key)
        return records_in(read_lines(source / "chain.jsonl"))
    return records_listed(json.loads(source.read_text(encoding="utf-8")), key)


def said_redacted(redacted: list) -> str:
    return "".join(
        f"\nposition {position}: {at} redacted ({reason}) by redaction {record['redaction_id']} at {record['recorded_at']}"
        for position, at, reason, record in redacted
    )


def read_lines(path: Path) -> list:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def main(argv: list) -> int:
    def option(name: str):
        if name in argv:
            at = argv.index(name)
            value = argv[at + 1]
            del argv[at : at + 2]
            return value
        return None

    key, chain_path, given = option("--key"), option("--chain"), option("--redactions")
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    what, path = argv[0], Path(argv[1])
    try:
        records = records_from(Path(given), key) if given else None
        redacted: list = []
        if what == "chain":
            digests = check_chain(read_lines(path), redacted, records)
            said = f"the chain holds: {len(digests)} events, root {mth(digests).hex()}" + said_redacted(redacted)
        elif what == "inclusion":
            check_inclusion(json.loads(path.read_text(encoding="utf-8")))
            said = "the event is in the tree"
        elif what == "consistency":
            check_consistency(json.loads(path.read_text(encoding="utf-8")))
            said = "the later tree extends the earlier one"
        elif what == "checkpoint":
            digests = check_chain(read_lines(Path(chain_path))) if chain_path else None
            check_checkpoint(json.loads(path.read_text(encoding="utf-8")), key, digests)
            said = "the checkpoint checks"
        elif what == "release":
            if key is None:
                print("release needs --key HEX: the publisher's public key", file=sys.stderr)
                return 2
            said = (
                f"the release checks: {check_release(path, key, redacted, records)} events, signed by the given key"
                + said_redacted(redacted)
            )
        else:
            print(__doc__, file=sys.stderr)
            return 2
    except Failed as failed:
        print(f"FAILED: {failed}", file=sys.stderr)
        return 1
    except (OSError, ValueError, KeyError, TypeError) as error:
        print(f"FAILED: unreadable ({error!r})", file=sys.stderr)
        return 1
    print(said)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
