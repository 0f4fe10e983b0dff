"""The web app and REST API (`slant serve`)."""

from slant.web.app import create_app

__all__ = ["create_app"]
