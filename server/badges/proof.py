"""Data Integrity proofs with the eddsa-rdfc-2022 cryptosuite (W3C VC-DI-EdDSA §3.3).

hashData = SHA-256(RDFC-1.0(proof options)) || SHA-256(RDFC-1.0(document without proof));
the Ed25519 signature over it is the proofValue, base58btc multibase.
"""

from __future__ import annotations

import copy
import hashlib
from collections.abc import Callable
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from server.badges.jsonld import canonical_nquads
from server.badges.multibase import decode_z, encode_z

CRYPTOSUITE = "eddsa-rdfc-2022"


class ProofInvalid(ValueError):
    """Why a proof does not verify, in words a person can act on."""


def _hash_data(document: dict[str, Any], options: dict[str, Any]) -> bytes:
    unsigned = {k: v for k, v in document.items() if k != "proof"}
    options = {**options, "@context": document["@context"]}
    options.pop("proofValue", None)
    return (
        hashlib.sha256(canonical_nquads(options).encode()).digest()
        + hashlib.sha256(canonical_nquads(unsigned).encode()).digest()
    )


def sign(
    document: dict[str, Any],
    *,
    private_key: Ed25519PrivateKey,
    verification_method: str,
    created: str,
) -> dict[str, Any]:
    """A copy of `document` with an assertionMethod proof."""
    options = {
        "type": "DataIntegrityProof",
        "cryptosuite": CRYPTOSUITE,
        "created": created,
        "verificationMethod": verification_method,
        "proofPurpose": "assertionMethod",
    }
    signature = private_key.sign(_hash_data(document, options))
    signed = copy.deepcopy(document)
    signed["proof"] = {**options, "proofValue": encode_z(signature)}
    return signed


def verify(
    document: dict[str, Any], *, public_key_for: Callable[[Any], bytes | None]
) -> dict[str, Any]:
    """The proof, when it verifies; otherwise ProofInvalid. `public_key_for(method_id)`
    returns the raw 32-byte key or None when the method is unknown."""
    proof = document.get("proof") if isinstance(document, dict) else None
    if not isinstance(proof, dict):
        raise ProofInvalid("The credential carries no proof.")
    if proof.get("type") != "DataIntegrityProof" or proof.get("cryptosuite") != CRYPTOSUITE:
        raise ProofInvalid("The proof is not an eddsa-rdfc-2022 Data Integrity proof.")
    if proof.get("proofPurpose") != "assertionMethod":
        raise ProofInvalid("The proof was not made for assertions.")
    key = public_key_for(proof.get("verificationMethod"))
    if key is None:
        raise ProofInvalid("The signing key is not one the issuer lists.")
    try:
        signature = decode_z(proof.get("proofValue", ""))
        data = _hash_data(document, proof)
    except Exception as err:  # malformed JSON-LD or multibase: a tampered document
        raise ProofInvalid("The credential could not be read as signed data.") from err
    try:
        Ed25519PublicKey.from_public_bytes(key).verify(signature, data)
    except InvalidSignature as err:
        raise ProofInvalid(
            "The signature does not match: the credential was changed after it was issued."
        ) from err
    return proof
