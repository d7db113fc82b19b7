#!/usr/bin/env python3
"""An independent check of an Isnad observatory's log, from its public HTTP layout only.

Written from the specifications, sharing no code with Isnad: c2sp.org/signed-note (verifier
keys, key IDs, Ed25519 signature lines), c2sp.org/tlog-checkpoint (note text), c2sp.org/tlog-tiles
(tile and entry-bundle paths, partial tiles) and RFC 6962/9162 (Merkle tree hash).

Usage: tlog_tiles_check.py BASE_URL VERIFIER_KEY
Prints "ok: <origin> size <n>" and exits 0 when the checkpoint's signature verifies, every entry
bundle and level-0 tile agree, and the entries hash to the checkpoint's root; exits 1 otherwise.
"""
import base64
import hashlib
import sys
import urllib.request

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey


def fail(message):
    print("tlog check failed: " + message, file=sys.stderr)
    sys.exit(1)


def get(base, path):
    with urllib.request.urlopen(base.rstrip("/") + "/log/" + path, timeout=10) as response:
        return response.read()


def tile_index_path(n):
    digits = "%03d" % (n % 1000)
    n //= 1000
    parts = [digits]
    while n > 0:
        parts.insert(0, "x%03d" % (n % 1000))
        n //= 1000
    return "/".join(parts)


def mth(leaves):
    if len(leaves) == 0:
        return hashlib.sha256(b"").digest()
    if len(leaves) == 1:
        return leaves[0]
    k = 1
    while k * 2 < len(leaves):
        k *= 2
    return hashlib.sha256(b"\x01" + mth(leaves[:k]) + mth(leaves[k:])).digest()


def main():
    base, vkey = sys.argv[1], sys.argv[2]
    name, key_id_hex, key_b64 = vkey.split("+", 2)
    material = base64.b64decode(key_b64)
    if material[0] != 1 or len(material) != 33:
        fail("not an Ed25519 verifier key")
    key_id = hashlib.sha256(name.encode() + b"\n" + material).digest()[:4]
    if key_id.hex() != key_id_hex:
        fail("the verifier key's ID does not match")
    public_key = Ed25519PublicKey.from_public_bytes(material[1:])

    note = get(base, "checkpoint")
    text, _, signatures = note.partition(b"\n\n")
    text += b"\n"
    verified = False
    for line in signatures.decode().splitlines():
        if not line.startswith("\u2014 "):
            fail("a signature line does not start with an em dash")
        signer, blob = line[2:].split(" ")
        raw = base64.b64decode(blob)
        if signer == name and raw[:4] == key_id:
            public_key.verify(raw[4:], text)
            verified = True
    if not verified:
        fail("no signature by the log key")
    lines = text.decode().split("\n")
    origin, size, root = lines[0], int(lines[1]), base64.b64decode(lines[2])
    if origin != name:
        fail("the origin is not the key name")

    leaves = []
    for n in range((size + 255) // 256):
        width = min(256, size - n * 256)
        suffix = "" if width == 256 else ".p/%d" % width
        bundle = get(base, "tile/entries/" + tile_index_path(n) + suffix)
        entries, offset = [], 0
        while offset < len(bundle):
            length = int.from_bytes(bundle[offset:offset + 2], "big")
            entries.append(bundle[offset + 2:offset + 2 + length])
            offset += 2 + length
        if len(entries) != width:
            fail("bundle %d has %d entries, not %d" % (n, len(entries), width))
        hashes = [hashlib.sha256(b"\x00" + e).digest() for e in entries]
        tile = get(base, "tile/0/" + tile_index_path(n) + suffix)
        if tile != b"".join(hashes):
            fail("level-0 tile %d does not hold the bundle's leaf hashes" % n)
        leaves.extend(hashes)
    if mth(leaves) != root:
        fail("the entries do not hash to the checkpoint's root")
    print("ok: %s size %d" % (origin, size))


main()
