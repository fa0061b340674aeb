"""The bare-renderer floor: render HTML files with WeasyPrint directly, in one process.

    python benchmarks/floor.py TEMPLATES OUT HTML...

The same print stylesheet and bundled fonts as the build, one font configuration for all files,
one PDF per file; nothing else (no loading, checks, templates or writing of HTML).
"""

from __future__ import annotations

import sys
from pathlib import Path

from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration


def main() -> None:
    templates, out, *files = sys.argv[1:]
    out_dir = Path(out)
    out_dir.mkdir(parents=True, exist_ok=True)
    fonts = FontConfiguration()
    css_path = Path(templates) / "print.css"
    stylesheet = CSS(filename=str(css_path), font_config=fonts)
    for number, name in enumerate(files):
        path = Path(name)
        document = HTML(filename=str(path), base_url=str(path.parent) + "/")
        document.write_pdf(out_dir / f"{number}.pdf", stylesheets=[stylesheet], font_config=fonts)


if __name__ == "__main__":
    main()
