"""The bare-renderer floor: render HTML files with WeasyPrint directly, in one process.

    python benchmarks/floor.py [--with-room] TEMPLATES OUT HTML...

The same print stylesheet and bundled fonts as the build, one font configuration for all files,
one PDF per file; nothing else (no loading, checks, templates or writing of HTML).

With ``--with-room``, each file is rendered through ``form8k.stack.with_room``, as the build
renders it: the floor then pays no more for CPython's stack chunks than the build does, and the
ratio against it is what form8k's own work adds.
"""

from __future__ import annotations

import sys
from pathlib import Path

from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration


def main() -> None:
    arguments = sys.argv[1:]
    room = arguments[:1] == ["--with-room"]
    if room:
        sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
        from form8k.stack import with_room
    templates, out, *files = arguments[room:]
    out_dir = Path(out)
    out_dir.mkdir(parents=True, exist_ok=True)
    fonts = FontConfiguration()
    css_path = Path(templates) / "print.css"
    stylesheet = CSS(filename=str(css_path), font_config=fonts)

    def render(number: int, name: str) -> None:
        path = Path(name)
        document = HTML(filename=str(path), base_url=str(path.parent) + "/")
        document.write_pdf(out_dir / f"{number}.pdf", stylesheets=[stylesheet], font_config=fonts)

    for number, name in enumerate(files):
        if room:
            with_room(render, number, name)
        else:
            render(number, name)


if __name__ == "__main__":
    main()
