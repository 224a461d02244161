"""What a voter's phone downloads for one statement: HTML + CSS + JS, raw and gzip-compressed.

Builds the demo election in a throw-away in-memory database, renders statement 1 as production
does (DEBUG off, so the minified htmx), reads every stylesheet and script the page links to, and
prints their sizes. Fails (exit 1) when the compressed total reaches the 50 KB budget or when the
page refers to any other host.

    .venv/bin/python scripts/page_weight.py [statement number]
"""

import gzip
import os
import re
import sys
import warnings
from pathlib import Path
from urllib.parse import urlsplit

import django
from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent
BUDGET = 50 * 1024
ASSET = re.compile(r'<(?:script|link)\b[^>]*?\b(?:src|href)="([^"]+)"', re.I)
# A reference to another host in HTML attributes or CSS url(); htmx's own source is not scanned.
EXTERNAL = re.compile(
    r'(?:src|href|action)="((?:https?:)?//[^"]+)"|url\(\s*[\'"]?((?:https?:)?//[^)\'"]+)'
)


def measure(number: int = 1) -> tuple[list[tuple[str, int, int]], list[str]]:
    """(what, raw bytes, gzip bytes) for the page and each asset it loads; other hosts named."""
    from django.contrib.staticfiles import finders
    from django.core.management import call_command
    from django.test import Client, override_settings

    call_command("migrate", verbosity=0)
    call_command("loaddata", ROOT / "fixtures" / "demo.json", verbosity=0)
    url = f"/voorbeeldstad/stelling/{number}/"
    with override_settings(DEBUG=False):
        response = Client().get(url)
    if response.status_code != 200:
        raise SystemExit(f"page_weight: {url} answered {response.status_code}")
    files = [(f"HTML {url}", response.content)]
    for asset in ASSET.findall(response.content.decode()):
        path = urlsplit(asset).path
        found = finders.find(path.removeprefix(settings.STATIC_URL).removeprefix("/static/"))
        if found is None:
            raise SystemExit(f"page_weight: {asset} is not one of our static files")
        files.append((path, Path(found).read_bytes()))
    external = [
        a or b
        for name, body in files
        if not name.endswith(".js")
        for a, b in EXTERNAL.findall(body.decode())
    ]
    return [(name, len(body), len(gzip.compress(body, 9))) for name, body in files], external


def main() -> int:
    os.environ["DATABASE_URL"] = "sqlite://:memory:"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stemhulp.settings")
    warnings.filterwarnings("ignore", "No directory at")
    sys.path.insert(0, str(ROOT))
    django.setup()

    rows, external = measure(int(sys.argv[1]) if len(sys.argv) > 1 else 1)
    print(f"{'file':<44} {'raw':>9} {'gzip':>9}")
    for name, raw, packed in rows:
        print(f"{name:<44} {raw:>9,} {packed:>9,}")
    total_raw, total = sum(r[1] for r in rows), sum(r[2] for r in rows)
    print(f"{'total':<44} {total_raw:>9,} {total:>9,}  (budget {BUDGET:,})")
    print(f"third-party references: {len(external)}" + (f" {external}" if external else ""))
    return 0 if total < BUDGET and not external else 1


if __name__ == "__main__":
    sys.exit(main())
