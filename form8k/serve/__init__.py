"""The preview server: the filings as EDGAR and the printer will show them, live while editing.

``create_app`` (``app``) is the ASGI app given a builder; ``Preview`` (``preview``) its state;
``events`` the pages' reload stream; ``pages`` the preview's own HTML; ``watch`` the file
watcher; ``server`` runs it all with uvicorn. Only the ``serve`` command imports this package.
"""

from __future__ import annotations

from form8k.serve.app import create_app
from form8k.serve.preview import Builder, Preview

__all__ = ["Builder", "Preview", "create_app"]
