"""Whether a text is a web address of the data contract (`WEB_ADDRESS_RULE`).

One rule read by the loaders (a `web_address` column refuses anything else) and by the
pages and exports (a store written before the rule may still hold other text: it is
shown as text, never as a link)."""

from __future__ import annotations

import unicodedata
from urllib.parse import urlsplit

from graph.contract import WEB_SCHEMES

#: ASCII characters RFC 3986 never allows unencoded in an address: a browser sends them
#: percent-encoded, so a cell holding one is pasted text or markup (`"` and `>` end an
#: HTML attribute or tag), never an address as typed in a browser's bar.
_NOT_IN_ADDRESS = frozenset('"<>\\^`{|}')
#: Unicode categories refused anywhere in an address besides spaces of every kind:
#: controls and invisible format characters (bidi overrides, zero-width spaces), which
#: would make a link read otherwise than where it goes.
_INVISIBLE = frozenset({"Cc", "Cf"})


def _odd_character(text: str) -> str | None:
    """What makes `text` unfit for an address character by character, or None."""
    for ch in text:
        category = unicodedata.category(ch)
        if ch.isspace() or category[0] == "Z":
            what = "a space" if ch == " " else f"the whitespace character U+{ord(ch):04X}"
            return f"it holds {what} (an address writes a space as %20)"
        if category in _INVISIBLE:
            return f"it holds the invisible or control character U+{ord(ch):04X}"
        if ch in _NOT_IN_ADDRESS:
            return f"it holds {ch!r}, which an address writes percent-encoded " \
                   f"(%{ord(ch):02X})"
    return None


def web_address_problem(text: str) -> str | None:
    """Why `text` is not a web address of the contract (WEB_ADDRESS_RULE), or None.

    The structure is urllib.parse's reading, not a parser of ours; the characters are
    checked first because urlsplit silently drops tabs and newlines."""
    odd = _odd_character(text)
    if odd is not None:
        return odd
    try:
        parts = urlsplit(text)
        parts.port  # noqa: B018 - reading the port is what checks it (a ValueError)
    except ValueError as exc:
        return f"it does not parse as an address ({exc})"
    if not parts.scheme:
        return "it has no scheme (write it as https://...)"
    if parts.scheme not in WEB_SCHEMES:
        return f"its scheme {parts.scheme}: is not http or https"
    if not parts.netloc or not parts.hostname:
        return "it names no host (expected http(s)://host/...)"
    return None


def is_web_address(text: str) -> bool:
    """`text` is an address a page may link to."""
    return bool(text) and web_address_problem(text) is None
