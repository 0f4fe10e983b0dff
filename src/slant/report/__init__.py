"""Views of a `Report`: every output format renders the same object."""

from enum import StrEnum

from slant.model import Report


class Format(StrEnum):
    """Output formats of `slant analyze`."""

    TERMINAL = "terminal"
    JSON = "json"
    HTML = "html"
    MARKDOWN = "markdown"


def render(report: Report, fmt: Format, *, width: int | None = None) -> str:
    """Render `report` as a string in format `fmt`."""
    if fmt is Format.JSON:
        return report.model_dump_json(indent=2)
    if fmt is Format.MARKDOWN:
        from slant.report.markdown import render_markdown

        return render_markdown(report)
    if fmt is Format.HTML:
        from slant.report.html import render_html

        return render_html(report)
    from slant.report.terminal import render_terminal

    return render_terminal(report, width=width)
