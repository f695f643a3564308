"""Safe XML reading (no entity expansion, no external documents) with namespaces ignored."""

from __future__ import annotations

from collections.abc import Iterator
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from reviews.importers.records import ImportFormatError


def load_xml(content: str) -> Element:
    """Return the root element, or say on which line the XML is broken."""
    text = content.lstrip("\ufeff")
    if text.startswith("<?xml"):
        # ElementTree refuses a str that declares its own encoding; the text is decoded.
        text = text[text.find("?>") + 2 :] if "?>" in text else text
    try:
        return fromstring(text)
    except ParseError as exc:
        raise ImportFormatError(
            "This XML file is broken", line=exc.position[0] if exc.position else None
        ) from None
    except DefusedXmlException:
        raise ImportFormatError("This XML file declares entities, which are not read.") from None


def local(element: Element) -> str:
    """Return the tag name without its namespace."""
    return element.tag.rsplit("}", 1)[-1]


def children(element: Element, name: str) -> Iterator[Element]:
    return (c for c in element if local(c) == name)


def child(element: Element | None, *path: str) -> Element | None:
    """Return the first element down `path` of local names, or None."""
    for name in path:
        if element is None:
            return None
        element = next(children(element, name), None)
    return element


def descendants(element: Element, name: str) -> Iterator[Element]:
    return (e for e in element.iter() if local(e) == name)


def text_of(element: Element | None) -> str:
    """Return all the text inside `element` (DBLP titles hold <i> and <sub>)."""
    return " ".join("".join(element.itertext()).split()) if element is not None else ""
