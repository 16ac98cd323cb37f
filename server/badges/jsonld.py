"""JSON-LD for signing: contexts come from files kept in this package, never the network.

The loader serves exactly the contexts a credential may use and refuses every other URL,
so canonicalising can neither fetch a remote document nor be steered to one.
"""

from __future__ import annotations

import json
import threading
from functools import cache
from pathlib import Path
from typing import Any

from pyld import jsonld

CONTEXT_DIR = Path(__file__).resolve().parent / "contexts"
VC_V2 = "https://www.w3.org/ns/credentials/v2"
OB_V3 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
DID_V1 = "https://www.w3.org/ns/did/v1"
MULTIKEY_V1 = "https://w3id.org/security/multikey/v1"
JSON_LD = "application/ld+json"  # the media type of every document we serve
LOCAL_FILES = {VC_V2: "credentials-v2.json", OB_V3: "ob-v3p0-context-3.0.3.json"}


class ContextRefused(ValueError):
    """A document named a context we do not keep locally."""


@cache
def _context(url: str) -> dict[str, Any]:
    path = CONTEXT_DIR / LOCAL_FILES[url]
    context: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return context


def local_loader(url: str, options: dict[str, Any] | None = None) -> dict[str, Any]:
    if url not in LOCAL_FILES:
        raise ContextRefused(f"Context {url!r} is not one of the contexts we sign with.")
    return {"contextUrl": None, "documentUrl": url, "document": _context(url)}


# pyld's shared context cache is not thread-safe: two decisions signing at once (server
# threads) raised KeyError inside it. Canonicalising is short; one at a time per process.
_PYLD = threading.Lock()


def canonical_nquads(document: dict[str, Any]) -> str:
    """RDFC-1.0 (URDNA2015 in pyld: the same algorithm) as N-Quads."""
    with _PYLD:
        nquads: str = jsonld.normalize(
            document,
            {
                "algorithm": "URDNA2015",
                "format": "application/n-quads",
                "documentLoader": local_loader,
                "safe": True,
            },
        )
    return nquads
