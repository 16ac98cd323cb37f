"""base58btc multibase ("z" prefix) and the Ed25519 Multikey encoding (0xed01 header)."""

from __future__ import annotations

ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
ED25519_PUB_HEADER = b"\xed\x01"


def b58encode(data: bytes) -> str:
    number = int.from_bytes(data, "big")
    out = ""
    while number:
        number, digit = divmod(number, 58)
        out = ALPHABET[digit] + out
    zeros = len(data) - len(data.lstrip(b"\0"))
    return "1" * zeros + out


def b58decode(text: str) -> bytes:
    number = 0
    for char in text:
        index = ALPHABET.find(char)
        if index < 0:
            raise ValueError("not base58btc")
        number = number * 58 + index
    body = number.to_bytes((number.bit_length() + 7) // 8, "big") if number else b""
    zeros = len(text) - len(text.lstrip("1"))
    return b"\0" * zeros + body


def encode_z(data: bytes) -> str:
    return "z" + b58encode(data)


def decode_z(text: str) -> bytes:
    if not isinstance(text, str) or not text.startswith("z"):
        raise ValueError("not a base58btc multibase value")
    return b58decode(text[1:])


def ed25519_multikey(public_key: bytes) -> str:
    return encode_z(ED25519_PUB_HEADER + public_key)


def ed25519_from_multikey(value: str) -> bytes:
    raw = decode_z(value)
    if raw[:2] != ED25519_PUB_HEADER or len(raw) != 34:
        raise ValueError("not an Ed25519 Multikey")
    return raw[2:]
