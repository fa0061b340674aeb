"""form8k: Form 8-K current reports and Exhibit 99.1 press releases, from content files to EDGAR HTML and PDF."""

__version__ = "0.1.0"
