"""One exception type per kind of bad input, each with a message a user can act on."""


class SlantError(Exception):
    """Base of every error slant reports to a user instead of a traceback."""

    exit_code = 1


class UsageError(SlantError):
    """The user asked for something that cannot be done: an unknown analyzer, a bad option (exit code 2)."""

    exit_code = 2


class InputError(SlantError):
    """The input cannot be read or used (CLI exit code 3)."""

    exit_code = 3


class EmptyInputError(InputError):
    """The input holds no text."""


class BinaryInputError(InputError):
    """The input is binary data, not text or HTML."""


class InputTooLargeError(InputError):
    """The input is larger than the configured limit."""


class NoArticleError(InputError):
    """An HTML page or scraped text has no article body."""


class UnsupportedLanguageError(InputError):
    """The article is not in a language slant's models were trained on."""


class FetchError(InputError):
    """A URL could not be fetched, or is not allowed to be."""


class TooShortError(NoArticleError):
    """The text is too short to be an article (under a sentence or two)."""


class AnalysisTimeoutError(InputError):
    """The analysis ran past the per-document time budget and was stopped."""


class WorkerCrashedError(SlantError):
    """An analysis worker process died (out of memory, killed, a crash in native code)."""


class ModelMismatchError(SlantError):
    """A shipped head was trained over another version of the encoder it reads; retrain it as its message says."""
