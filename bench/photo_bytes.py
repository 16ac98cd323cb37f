"""Bytes a phone uploads for one 12-megapixel classroom photo, against the photo's own size
(goal: at most 10 %).

The photo is made here with Pillow: 4000 x 3000, a lit wall, a board with writing, desks,
papers and sensor noise, saved as a camera would (JPEG quality 92, EXIF with GPS). The
REAL capture page shrinks it in headless Chromium (js/capture/photo.js: longest side 1600 px,
JPEG 0.8) and its upload queue sends it; the bench counts the body of that request.

Run: python -m bench.photo_bytes   (writes bench/results/photo_bytes.json)
"""

from __future__ import annotations

import io
import random
import time

from PIL import Image, ImageChops, ImageDraw, ImageFilter
from sqlmodel import Session, select

from bench.common import write_result
from bench.lighthouse import served_demo

SIZE = (4000, 3000)
GPS_IFD = 0x8825
GOAL = 0.10


def classroom_photo(seed: int = 7) -> bytes:
    rng = random.Random(seed)
    wall = Image.linear_gradient("L").resize(SIZE).point(lambda v: 150 + v // 3)
    image = Image.merge("RGB", (wall, wall.point(lambda v: v - 8), wall.point(lambda v: v - 25)))
    draw = ImageDraw.Draw(image)
    draw.rectangle((500, 300, 3500, 1500), fill=(38, 66, 52), outline=(120, 90, 60), width=40)
    for row in range(9):  # chalk writing on the board
        y = 420 + row * 120
        x = 600
        while x < 3300:
            width = rng.randint(30, 160)
            points = [(x + i * 12, y + rng.randint(-25, 25)) for i in range(width // 12)]
            if len(points) > 1:
                draw.line(points, fill=(225, 228, 220), width=rng.randint(5, 9))
            x += width + rng.randint(25, 60)
    for _ in range(60):  # desks, papers, bags, children's work on the wall
        x, y = rng.randint(-200, 3900), rng.randint(1500, 2950)
        w, h = rng.randint(150, 700), rng.randint(80, 400)
        colour = tuple(rng.randint(40, 240) for _ in range(3))
        shape = draw.ellipse if rng.random() < 0.3 else draw.rectangle
        shape((x, y, x + w, y + h), fill=colour, outline=(30, 30, 30), width=rng.randint(2, 8))
    image = image.filter(ImageFilter.GaussianBlur(1.2))  # a lens, not vector art
    noise = Image.merge("RGB", [Image.effect_noise(SIZE, 10) for _ in range(3)])
    image = ImageChops.add(image, noise, scale=1.0, offset=-128)
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    exif[0x0110] = "Phone 12 Pro"
    exif[0x0132] = "2025:03:04 10:15:00"
    exif[GPS_IFD] = {1: "N", 2: (40.0, 44.0, 55.0), 3: "W", 4: (73.0, 59.0, 11.0)}
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=92, exif=exif)
    return out.getvalue()


def draft_for_demo_teacher(app) -> tuple[int, int]:
    from server.demo.people import DEMO_HANDLES
    from server.models import Credential, Submission, User

    with Session(app.extensions["db_engine"]) as session:
        teacher = session.exec(select(User).where(User.handle == DEMO_HANDLES["teacher"])).one()
        credential = session.exec(
            select(Credential).where(Credential.slug == "fractions-as-numbers")
        ).one()
        submission = Submission(user_id=teacher.id, credential_id=credential.id)
        session.add(submission)
        session.commit()
        return teacher.id, submission.id


def upload_through_the_page(app, base: str, photo: bytes) -> dict:
    from playwright.sync_api import sync_playwright

    from bench.lighthouse import _chromium
    from server.auth.session import session_cookie_for

    user_id, submission_id = draft_for_demo_teacher(app)
    cookie = session_cookie_for(app, user_id)
    sent = record_request_bodies(app)
    chromium, args = _chromium()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, headless=True, args=args)
        context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
        context.add_cookies(
            [{"name": app.config["SESSION_COOKIE_NAME"], "value": cookie, "url": base}]
        )
        page = context.new_page()
        page.goto(f"{base}/capture?submission={submission_id}")
        page.wait_for_selector("body[data-capture-ready]")
        started = time.perf_counter()
        page.get_by_label("Choose photos").set_input_files(
            [{"name": "IMG_0412.jpg", "mimeType": "image/jpeg", "buffer": photo}]
        )
        page.wait_for_selector('#queue-list > li[data-status="saved"]', timeout=60_000)
        seconds = time.perf_counter() - started
        browser.close()
    uploads = [r for r in sent if r["method"] == "POST" and r["path"].endswith("/evidence")]
    assert len(uploads) == 1, sent
    return {
        "submission_id": submission_id,
        "request_body_bytes": uploads[0]["body_bytes"],
        "capture_to_saved_seconds": round(seconds, 2),
    }


def record_request_bodies(app) -> list[dict]:
    """Every request body as it reached the server: exactly the bytes the page sent."""
    seen: list[dict] = []
    inner = app.wsgi_app

    def counting(environ, start_response):
        seen.append(
            {
                "method": environ["REQUEST_METHOD"],
                "path": environ["PATH_INFO"],
                "body_bytes": int(environ.get("CONTENT_LENGTH") or 0),
            }
        )
        return inner(environ, start_response)

    app.wsgi_app = counting
    return seen


def stored_photo(app, submission_id: int) -> dict:
    from server.models import EvidenceItem

    with Session(app.extensions["db_engine"]) as session:
        item = session.exec(
            select(EvidenceItem).where(EvidenceItem.submission_id == submission_id)
        ).one()
    path = app.config["SETTINGS"].storage_dir / item.blob_key
    image = Image.open(path)
    return {
        "width": item.width,
        "height": item.height,
        "stored_bytes": item.bytes,
        "exif_tags": len(image.getexif()),
    }


def main() -> None:
    photo = classroom_photo()
    with served_demo() as (base, app):
        sent = upload_through_the_page(app, base, photo)
        stored = stored_photo(app, sent["submission_id"])
    ratio = sent["request_body_bytes"] / len(photo)
    result = {
        "original": {"width": SIZE[0], "height": SIZE[1], "bytes": len(photo)},
        "uploaded": sent,
        "stored": stored,
        "ratio": round(ratio, 4),
        "goal": GOAL,
        "meets_goal": ratio <= GOAL,
    }
    path = write_result("photo_bytes", result)
    print(f"original 12 MP photo: {len(photo) / 1024:,.0f} KiB ({SIZE[0]}x{SIZE[1]}, EXIF+GPS)")
    print(
        f"uploaded by the page: {sent['request_body_bytes'] / 1024:,.0f} KiB "
        f"(stored {stored['width']}x{stored['height']}, EXIF tags: {stored['exif_tags']})"
    )
    print(f"ratio: {ratio:.1%} (goal <= {GOAL:.0%}: {'met' if ratio <= GOAL else 'MISSED'})")
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
