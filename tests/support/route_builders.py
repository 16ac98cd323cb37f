"""Werkzeug compiles two URL-builder functions per route (AST, then `compile`) for every app:
~60% of `create_app`, which most tests call once. The function's code depends only on the
rule's text, its parsed parts and its defaults' names (converters are looked up on the bound
rule when a URL is built), so within one test process the code compiled for the first app is
reused for the next. Rules whose defaults fill a variable part (rare) compile as before.

If werkzeug's private `Rule._compile_builder` changes shape, nothing is patched: the tests
only get slower, never different.
"""

from __future__ import annotations

import inspect
from typing import Any

from werkzeug.routing import Rule

_original = getattr(Rule, "_compile_builder", None)
_cache: dict[tuple[Any, ...], Any] = {}


def _cached_compile_builder(self: Rule, append_unknown: bool = True):
    defaults = self.defaults or {}
    if any(is_dynamic and data in defaults for is_dynamic, data in self._trace):
        return _original(self, append_unknown)  # type: ignore[misc]
    key = (self.rule, tuple(self._trace), tuple(defaults), append_unknown)
    builder = _cache.get(key)
    if builder is None:
        builder = _cache[key] = _original(self, append_unknown)  # type: ignore[misc]
    return builder


def install() -> None:
    if _original is None or list(inspect.signature(_original).parameters) != [
        "self",
        "append_unknown",
    ]:
        return
    Rule._compile_builder = _cached_compile_builder  # type: ignore[method-assign]
