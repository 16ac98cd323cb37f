"""First-page transfer size: the bytes a phone downloads for the home page and the assets
it references (HTML + CSS + JS), compressed as the app serves them to Chromium
(Accept-Encoding: gzip, deflate, br, zstd).

Run: python -m bench.transfer_size
"""

from __future__ import annotations

import posixpath
import re

from bench.common import demo_app, write_result

ASSET = re.compile(r'<(?:link[^>]+rel="(?:stylesheet|manifest)"[^>]+href|script[^>]+src)="([^"]+)"')
MODULE_IMPORT = re.compile(r'import\s+(?:[^"\']+from\s+)?["\'](\.[^"\']+)["\']')


def _fetch(client, path: str) -> tuple[int, int, str]:
    response = client.get(path, headers={"Accept-Encoding": "gzip, deflate, br, zstd"})
    assert response.status_code == 200, (path, response.status_code)
    body = response.get_data()
    raw = len(response.get_data()) if not response.headers.get("Content-Encoding") else None
    return len(body), raw or len(body), response.headers.get("Content-Encoding", "identity")


def _module_imports(client, path: str) -> list[str]:
    text = client.get(path).get_data(as_text=True)
    base = path.rsplit("/", 1)[0]
    # static/js has folders now: "../lib/x.js" must resolve, not lose its "../".
    return [posixpath.normpath(f"{base}/{rel}") for rel in MODULE_IMPORT.findall(text)]


def measure(pages: tuple[str, ...] = ("/", "/stacks")) -> dict:
    app = demo_app()
    client = app.test_client()
    results = {}
    for page in pages:
        html = client.get(page).get_data(as_text=True)
        paths = [page] + ASSET.findall(html)
        for path in list(paths):
            if path.endswith(".js"):
                paths += _module_imports(client, path)
        rows = []
        for path in dict.fromkeys(paths):
            compressed, _, encoding = _fetch(client, path)
            uncompressed = len(client.get(path).get_data())
            rows.append(
                {
                    "path": path,
                    "bytes": compressed,
                    "uncompressed": uncompressed,
                    "encoding": encoding,
                }
            )
        results[page] = {
            "resources": rows,
            "total_bytes": sum(r["bytes"] for r in rows),
            "total_uncompressed": sum(r["uncompressed"] for r in rows),
        }
    return results


def main() -> None:
    results = measure()
    for page, data in results.items():
        print(
            f"\nFirst load of {page}: {data['total_bytes'] / 1024:.1f} KiB transferred "
            f"({data['total_uncompressed'] / 1024:.1f} KiB uncompressed)"
        )
        for row in data["resources"]:
            print(f"  {row['bytes']:>8} B  {row['encoding']:<8} {row['path']}")
    path = write_result("transfer_size", results)
    print(f"\nwritten {path}")


if __name__ == "__main__":
    main()
