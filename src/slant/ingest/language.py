"""Which documents slant can analyze: English articles (its models are trained on English news).

`check_article` is the one gate every document builder passes a document through. It refuses a
document in another language only on evidence: that language's function words, or a script that is
not Latin. Short English headlines and list-heavy English pages (box scores, recipes), which have few
English function words, are therefore accepted. It refuses as "not an article" a page whose body holds
almost no words, or an error page ("404", "Page not found", "Main Error Message Here").
"""

import re

from slant.errors import NoArticleError, TooShortError, UnsupportedLanguageError
from slant.model import ARTICLE_KINDS, Document, SegmentKind

_FUNCTION_WORDS = {
    "en": "the of and to a in is that for it on was with as by at be this are from or have an has not but were "
    "his her they their which who will would been had its he she we you said",
    "es": "el la los las de del y en que por con para una un es no se su al lo como más pero sus le ya o este",
    "fr": "le la les de des du et en un une est que qui dans pour pas sur au avec ce il elle sont par plus ne se",
    "de": "der die das und ist den dem des nicht ein eine zu mit von sich auf für im auch es als wird bei aus",
    "it": "il lo la gli le di del della che e è un una per non con sono si da al nel anche come più ma",
    "pt": "o a os as de do da dos das e que em um uma para com não por se na no mais ao como mas foi",
    "nl": "de het een en van in is dat op te zijn met voor niet aan er om ook als bij door naar",
}
_NAMES = {"es": "Spanish", "fr": "French", "de": "German", "it": "Italian", "pt": "Portuguese", "nl": "Dutch"}
_WORDS = {language: frozenset(words.split()) for language, words in _FUNCTION_WORDS.items()}
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_LATIN = re.compile(r"[A-Za-z\u00C0-\u024F]")
_LETTER = re.compile(r"[^\W\d_]", re.UNICODE)
MIN_ARTICLE_WORDS = 5
MIN_EVIDENCE_WORDS = 8
MIN_LATIN_SHARE = 0.5
MAX_ERROR_PAGE_WORDS = 150
_ERROR_PAGE = re.compile(
    r"\b(?:404|page not found|error message|not found on this server|access denied|forbidden"
    r"|page (?:you requested |you are looking for )?(?:does not|doesn't|could not|cannot) (?:exist|be found)"
    r"|enable javascript|are you a robot|service unavailable|internal server error)\b",
    re.I,
)


def language_shares(text: str) -> dict[str, float]:
    """For each known language, the share of words in `text` that are its common function words."""
    words = _WORD.findall(text.lower())
    if not words:
        return dict.fromkeys(_WORDS, 0.0)
    return {language: sum(w in vocabulary for w in words) / len(words) for language, vocabulary in _WORDS.items()}


def other_language(text: str) -> str | None:
    """The language `text` is written in when there is evidence that it is not English, else None.

    Example:
        >>> other_language("El pleno del ayuntamiento aprobó el martes la construcción de un parque en la orilla")
        'Spanish'
        >>> other_language("#BREAKING Paris hostage-taker 'knows' one Charlie Hebdo killer: source") is None
        True
    """
    letters = _LETTER.findall(text[:20_000])
    if letters and sum(bool(_LATIN.match(ch)) for ch in letters) / len(letters) < MIN_LATIN_SHARE:
        return "a non-Latin script"
    if len(_WORD.findall(text)) < MIN_EVIDENCE_WORDS:
        return None
    shares = language_shares(text)
    english = shares.pop("en")
    language, share = max(shares.items(), key=lambda item: item[1])
    return _NAMES[language] if share > max(english, 0.05) else None


def check_article(document: Document) -> Document:
    """The document, once it is known to be an English article; refuse anything else.

    Raises:
        UnsupportedLanguageError: the title and body are in another language.
        TooShortError: the body holds fewer than `MIN_ARTICLE_WORDS` words.
        NoArticleError: the page is an error page.
    """
    where = document.metadata.source or "the input"
    parts = document.segments_of(*ARTICLE_KINDS)
    prose = " ".join(document.segment_text(s) for s in parts)
    if (language := other_language(prose or document.text)) is not None:
        raise UnsupportedLanguageError(
            f"{where} looks written in {language}, not English; slant's models analyze English news only"
        )
    body = " ".join(document.segment_text(s) for s in document.segments_of(SegmentKind.BODY))
    words = len(body.split())
    if words < MIN_ARTICLE_WORDS:
        raise TooShortError(
            f"{where} is too short to analyze: {words} word{'s' * (words != 1)} of body; slant needs at least "
            f"{MIN_ARTICLE_WORDS} (a sentence or two)"
        )
    if words <= MAX_ERROR_PAGE_WORDS and _ERROR_PAGE.search(f"{document.metadata.title or ''} {prose}"):
        raise NoArticleError(f"{where} is not an article: it reads as an error page")
    return document
