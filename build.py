#!/usr/bin/env python3
"""Build the filings under content/ (``python build.py --help`` for the other commands)."""

from form8k.cli import main

if __name__ == "__main__":
    main()
