"""Strings that UTF-8 cannot encode: lone surrogates ("\\ud800", what a JSON "\\ud800" escape or a
bad decoder leaves behind). A record holding one cannot be written, so the document that brings
one is refused up front, naming the field, instead of crashing the writer of a whole batch.
"""

from __future__ import annotations

from typing import Any


def unencodable_field(value: Any, name: str = "document") -> str | None:
    """Where in a value (a string, or dicts and lists of them, keys included) a lone surrogate sits:
    a path such as "text" or "meta.tags[2]", with the offset; None when everything encodes.

    >>> unencodable_field({"id": "a", "text": "ok \\ud800"}), unencodable_field({"text": "ok"})
    ('text (offset 3)', None)
    """
    stack: list[tuple[str, Any]] = [(name, value)]
    while stack:  # each step removes one item and adds its children: ends with the value
        where, item = stack.pop()
        if isinstance(item, str):
            found = _surrogate_at(item)
            if found is not None:
                return f"{where} (offset {found})".removeprefix("document.")
        elif isinstance(item, dict):
            for key, child in reversed(list(item.items())):
                if isinstance(key, str) and _surrogate_at(key) is not None:
                    return f"{where}: a key".removeprefix("document.")
                stack.append((f"{where}.{key}", child))
        elif isinstance(item, (list, tuple)):
            stack.extend((f"{where}[{k}]", child) for k, child in reversed(list(enumerate(item))))
    return None


def _surrogate_at(text: str) -> int | None:
    """The offset of the first lone surrogate in `text`, None when UTF-8 encodes it all (the
    codec's own scan, several times cheaper than a regular-expression search of the whole text).

    >>> _surrogate_at("ok \\ud800"), _surrogate_at("Sáng 2/3")
    (3, None)
    """
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as error:
        return error.start
    return None


def ensure_encodable(value: Any, name: str = "document") -> None:
    """Raise `ValueError` naming the field when a string in `value` cannot be written as UTF-8.

    >>> ensure_encodable({"text": "Sáng 2/3"})
    >>> ensure_encodable({"id": "\\udc80", "text": "x"})
    Traceback (most recent call last):
    ...
    ValueError: id (offset 0) holds a lone surrogate, which is not valid Unicode text (UTF-8 cannot encode it)
    """
    where = unencodable_field(value, name)
    if where is not None:
        raise ValueError(f"{where} holds a lone surrogate, which is not valid Unicode text (UTF-8 cannot encode it)")
