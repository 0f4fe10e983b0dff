"""Tell an HTML page from plain text by its structure: a document root or a body, never by counting tags.

Plain text may quote tags (an article about web pages, a pasted snippet); only a page that starts as a
document (doctype, <html>, <head>, <body>, after any XML declaration, comments and whitespace) or that holds
a <body> element opened and closed is read as HTML.
"""

import re

_PROLOGUE = r"(?:\s|<\?xml[^>]*>|<!--.*?-->)*"
_PAGE_START = re.compile(_PROLOGUE + r"<(?:!doctype\s+html|html|head|body)\b", re.IGNORECASE | re.DOTALL)
_BODY_OPEN = re.compile(r"<body\b[^<>]*>", re.IGNORECASE)
_BODY_CLOSE = re.compile(r"</body\s*>", re.IGNORECASE)
#: Characters searched for a body element.
_SCAN = 2_000_000


def is_html(text: str) -> bool:
    """Whether `text` is an HTML document: it starts with a document root or holds a <body> element."""
    if _PAGE_START.match(text):
        return True
    head = text[:_SCAN]
    opened = _BODY_OPEN.search(head)
    return opened is not None and _BODY_CLOSE.search(head, opened.end()) is not None
