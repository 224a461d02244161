"""Compile the interface translations (locale/*/LC_MESSAGES/*.po) into the .mo files Django reads.

Django's own `compilemessages` needs GNU gettext's msgfmt; this uses Babel from the virtualenv,
so `make run` works on a fresh machine without installing system packages. Only catalogues whose
.po is newer than their .mo are compiled. Fuzzy entries are left out, as msgfmt does.

    .venv/bin/python scripts/compile_messages.py
"""

import sys
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"


def compile_all(locale_dir: Path = LOCALE_DIR) -> list[Path]:
    """Compile every outdated catalogue; return the .mo files written."""
    written = []
    for po in sorted(locale_dir.glob("*/LC_MESSAGES/*.po")):
        mo = po.with_suffix(".mo")
        if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        with po.open("rb") as source:
            catalog = read_po(source, locale=po.parent.parent.name, abort_invalid=True)
        with mo.open("wb") as target:
            write_mo(target, catalog)
        written.append(mo)
    return written


if __name__ == "__main__":
    try:
        for path in compile_all():
            print(f"compiled {path.relative_to(LOCALE_DIR.parent)}")
    except Exception as exc:  # a broken .po must stop the build with one clear line
        sys.exit(f"compile_messages: {exc}")
