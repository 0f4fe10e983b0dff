"""The web app and REST API (`slant serve`)."""

from slant.web.app import Limits, create_app

__all__ = ["Limits", "create_app"]
