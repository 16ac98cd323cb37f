"""What one big photo costs the server to clean (decode, re-encode, thumbnail): peak
memory and time per image, and the peak when 4 arrive at once. Goal: a 64 MP PNG bomb is
refused for almost nothing; an allowed 27 MP photo stays under ~150 MB and 4 at once stay
bounded by CHALKMARK_IMAGE_WORKERS (not 4x); the largest PNG still allowed (39.7 MP, which
Pillow can only decode at full size) shows the worst case an upload can cost.

Each case runs in a fresh Python process that samples its resident memory every 5 ms
(Pillow allocates outside Python, so tracemalloc can't see it), reading the image bytes
from a temp file made here with Pillow.

Run: python -m bench.image_cost   (writes bench/results/image_cost.json)
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from PIL import Image, ImageDraw

from bench.common import write_result

CASE = r"""
import io, json, os, sys, threading, time
from server.errors import InvalidInput
from server.evidence import images
from server.evidence.sniff import JPEG, PNG
path, kind, copies = sys.argv[1], sys.argv[2], int(sys.argv[3])
data = open(path, "rb").read()
PAGE_MB = os.sysconf("SC_PAGE_SIZE") / 2**20
def rss(): return int(open("/proc/self/statm").read().split()[1]) * PAGE_MB
base, peak, done = rss(), [0.0], threading.Event()
def sample():  # the process's resident memory now, every 5 ms, while images are cleaned
    while not done.is_set():
        peak[0] = max(peak[0], rss()); time.sleep(0.005)
outcomes = []
def one():
    try:
        images.clean_image(io.BytesIO(data), JPEG if kind == "jpeg" else PNG)
        outcomes.append("stored")
    except InvalidInput:
        outcomes.append("refused")
sampler = threading.Thread(target=sample); sampler.start()
started = time.perf_counter()
threads = [threading.Thread(target=one) for _ in range(copies)]
[t.start() for t in threads]; [t.join() for t in threads]
seconds = time.perf_counter() - started
done.set(); sampler.join()
print(json.dumps({"seconds": round(seconds, 3), "peak_delta_mb": round(peak[0] - base, 1),
                  "outcome": sorted(set(outcomes))}))
"""


def _png_bomb() -> bytes:
    out = io.BytesIO()
    Image.new("1", (8000, 8000)).save(out, format="PNG")
    return out.getvalue()


def _camera_jpeg(size=(6000, 4500)) -> bytes:
    image = Image.linear_gradient("L").resize(size).convert("RGB")
    draw = ImageDraw.Draw(image)
    for x in range(0, size[0], 97):  # edges, so the encoder has work to do
        draw.line((x, 0, size[0] - x, size[1]), fill=(200, 60, 40), width=9)
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=90)
    return out.getvalue()


def _large_png(size=(5000, 5000)) -> bytes:
    out = io.BytesIO()
    Image.linear_gradient("L").resize(size).convert("RGB").save(out, format="PNG")
    return out.getvalue()


def _run(path: Path, kind: str, copies: int) -> dict:
    answer = subprocess.run(
        [sys.executable, "-c", CASE, str(path), kind, str(copies)],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(answer.stdout)


def main() -> None:
    cases = {
        "png_bomb_8000x8000": ("png", _png_bomb()),
        "jpeg_6000x4500": ("jpeg", _camera_jpeg()),
        "jpeg_8000x6000_48mp_phone": ("jpeg", _camera_jpeg((8000, 6000))),
        "png_5000x5000": ("png", _large_png()),
        # The worst PNG still allowed: just under the 40 MP photo limit (no draft for PNG).
        "png_6300x6300": ("png", _large_png((6300, 6300))),
    }
    results = {}
    with tempfile.TemporaryDirectory() as folder:
        for name, (kind, data) in cases.items():
            path = Path(folder) / name
            path.write_bytes(data)
            for copies in (1, 4):
                figures = _run(path, kind, copies)
                figures["file_kb"] = round(len(data) / 1024, 1)
                results[f"{name} x{copies}"] = figures
                print(f"{name:22} x{copies}: {figures}")
    write_result("image_cost", results)


if __name__ == "__main__":
    main()
