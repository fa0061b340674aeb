"""form8k: Form 8-K reports and their press releases, from content files to EDGAR HTML and PDF."""

__version__ = "0.1.0"
