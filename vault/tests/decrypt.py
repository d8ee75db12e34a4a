#!/usr/bin/env python3
"""Decrypts an otpkit vault file without otpkit: the independent reader FORMAT.md promises.

Usage: decrypt.py VAULT_FILE < password      (prints the account list's JSON)
Needs: pip install argon2-cffi cryptography
"""
import hashlib
import json
import struct
import sys

from argon2.low_level import Type, hash_secret_raw
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305

MAGIC = b"otpkit-vault\n"


def hchacha20(key: bytes, nonce16: bytes) -> bytes:
    """HChaCha20 (draft-irtf-cfrg-xchacha, section 2.2): 20 ChaCha rounds, no final addition."""
    def rotl(v, c):
        return ((v << c) & 0xFFFFFFFF) | (v >> (32 - c))

    def qr(s, a, b, c, d):
        s[a] = (s[a] + s[b]) & 0xFFFFFFFF; s[d] = rotl(s[d] ^ s[a], 16)
        s[c] = (s[c] + s[d]) & 0xFFFFFFFF; s[b] = rotl(s[b] ^ s[c], 12)
        s[a] = (s[a] + s[b]) & 0xFFFFFFFF; s[d] = rotl(s[d] ^ s[a], 8)
        s[c] = (s[c] + s[d]) & 0xFFFFFFFF; s[b] = rotl(s[b] ^ s[c], 7)

    s = list(struct.unpack("<4I", b"expand 32-byte k") + struct.unpack("<8I", key)
             + struct.unpack("<4I", nonce16))
    for _ in range(10):
        qr(s, 0, 4, 8, 12); qr(s, 1, 5, 9, 13); qr(s, 2, 6, 10, 14); qr(s, 3, 7, 11, 15)
        qr(s, 0, 5, 10, 15); qr(s, 1, 6, 11, 12); qr(s, 2, 7, 8, 13); qr(s, 3, 4, 9, 14)
    return struct.pack("<8I", *(s[0:4] + s[12:16]))


def xchacha20poly1305_decrypt(key: bytes, nonce24: bytes, data: bytes, aad: bytes) -> bytes:
    subkey = hchacha20(key, nonce24[:16])
    return ChaCha20Poly1305(subkey).decrypt(b"\0\0\0\0" + nonce24[16:], data, aad)


def decrypt(blob: bytes, password: bytes) -> dict:
    if not blob.startswith(MAGIC):
        raise SystemExit("not an otpkit vault")
    if hashlib.sha256(blob[:-32]).digest() != blob[-32:]:
        raise SystemExit("damaged: checksum mismatch")
    (header_len,) = struct.unpack(">I", blob[13:17])
    header_end = 17 + header_len
    header = json.loads(blob[17:header_end])
    assert header["format"] == "otpkit-vault" and header["version"] == 1
    assert header["cipher"] == "xchacha20poly1305"
    body = blob[header_end:-32]
    assert len(body) == header["body_len"]
    for slot in header["slots"]:
        assert slot["kind"] == "password" and slot["kdf"] == "argon2id"
        kek = hash_secret_raw(password, bytes.fromhex(slot["salt"]), time_cost=slot["passes"],
                              memory_cost=slot["memory_kib"], parallelism=slot["lanes"],
                              hash_len=32, type=Type.ID, version=slot["argon2_version"])
        try:
            master = xchacha20poly1305_decrypt(kek, bytes.fromhex(slot["nonce"]),
                                               bytes.fromhex(slot["wrapped_key"]),
                                               b"otpkit-vault slot v1")
        except Exception:
            continue
        plain = xchacha20poly1305_decrypt(master, bytes.fromhex(header["nonce"]), body,
                                          blob[:header_end])
        return json.loads(plain)
    raise SystemExit("wrong password")


if __name__ == "__main__":
    with open(sys.argv[1], "rb") as f:
        blob = f.read()
    print(json.dumps(decrypt(blob, sys.stdin.buffer.read().rstrip(b"\n")), indent=1))
