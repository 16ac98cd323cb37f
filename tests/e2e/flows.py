"""Steps the e2e tests share: demo sign-in, filling a draft part by part, deciding."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.support.media import jpeg_bytes, mp4_bytes, pdf_bytes

NEEDS = re.compile(r"Needs (\d+)")
AT_LEAST = re.compile(r"(?:at least |Length: )(\d+)(?: to \d+)? words")


def long_enough(text: str, hint: str) -> str:
    """`text`, repeated until it has the words the part's hint asks for (its range)."""
    match = AT_LEAST.search(hint)
    needed = int(match.group(1)) if match else 0
    words = text.split()
    while len(words) < needed:
        words += text.split()
    return " ".join(words)


def sign_in_as_demo(page: Page, role: str) -> None:
    page.goto("/auth/sign-in")
    page.get_by_role("button", name=role.capitalize(), exact=True).click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def _files_for(accept: str, count: int, prefix: str) -> list[dict]:
    if accept.startswith("image"):
        return [
            {
                "name": f"{prefix}-{i}.jpg",
                "mimeType": "image/jpeg",
                "buffer": jpeg_bytes(i, gps=True),
            }
            for i in range(count)
        ]
    if accept.startswith("video"):
        return [
            {"name": f"{prefix}-{i}.mp4", "mimeType": "video/mp4", "buffer": mp4_bytes()}
            for i in range(count)
        ]
    return [
        {"name": f"{prefix}-{i}.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes()}
        for i in range(count)
    ]


def wait_for_htmx(page: Page) -> None:
    """Wait until htmx has wired every hx- element of the page.

    A click that navigates returns before the new page's scripts have run; a field
    filled in that gap fires its one input event before htmx listens, so an autosave
    never starts (seen on a busy CI machine). A person types on; a test must wait.
    """
    page.wait_for_function(
        """() => window.htmx && [...document.querySelectorAll('[hx-post],[hx-get]')]
                 .every((el) => el['htmx-internal-data'] && el['htmx-internal-data'].initHash)"""
    )


def fill_every_part(page: Page, text: str) -> None:
    """Give each evidence requirement of the open draft the evidence it needs."""
    wait_for_htmx(page)
    for index, part in enumerate(page.locator("li.evidence-part").all()):
        match = NEEDS.search(part.locator(".hint").first.inner_text())
        needed = int(match.group(1)) if match else 0
        already = part.locator(".evidence-item").count()
        if needed <= already and not part.locator("textarea").count():
            continue
        if part.locator("input[type=file]").count():
            # The gallery picker (the other one opens the camera); after each upload the
            # part re-renders, so the locator is resolved again every time.
            file_input = part.locator("input[type=file][data-picker=choose]")
            accept = file_input.get_attribute("accept") or ""
            for file in _files_for(accept, needed - already, f"part{index}"):
                file_input.set_input_files(file)
                already += 1
                expect(part.locator(".evidence-item")).to_have_count(already, timeout=15_000)
        elif part.locator("textarea").count():
            hint = part.locator(".hint").first.inner_text()
            wait_for_htmx(page)  # the uploads above re-rendered parts of the page
            part.locator("textarea").fill(long_enough(text, hint))
            expect(part.locator(".save-status")).to_contain_text("Saved", timeout=15_000)
        elif part.locator("input[type=url]").count():
            for n in range(needed - already):
                part.locator("input[type=url]").fill(f"https://example.org/lesson-{n}")
                part.get_by_role("button", name="Add link").click()
                expect(part.locator(".evidence-item")).to_have_count(already + n + 1)


def submit_draft(page: Page) -> None:
    page.get_by_label("I have permission to share images of students").check()
    page.get_by_role("button", name="Submit for review").click()
    expect(page.get_by_text("This attempt is with the assessors")).to_be_visible()


def decide(page: Page, submission_id: int, *, not_yet_on: int | None, feedback: str) -> None:
    """As an assessor: claim the attempt, score every criterion, press the decision."""
    page.goto(f"/review/{submission_id}")
    page.get_by_role("button", name="Start review").click()
    criteria = page.locator("fieldset.review-criterion")
    # Count only once the claimed form is there: counting earlier (a busy machine) finds
    # no criteria, scores nothing, and Award is rightly refused.
    expect(page.get_by_label("Overall feedback")).to_be_visible()
    expect(criteria.first).to_be_visible()
    for index in range(criteria.count()):
        choice = "Not yet" if index == not_yet_on else "Met"
        criteria.nth(index).get_by_label(choice, exact=True).check()
    page.get_by_label("Overall feedback").fill(feedback)
    page.get_by_role(
        "button", name="Not yet" if not_yet_on is not None else "Award", exact=True
    ).click()
    # An award also signs its Open Badges credential: allow a busy machine its time.
    expect(page.get_by_text("Decision saved")).to_be_visible(timeout=15_000)


def submission_id_from(page: Page) -> int:
    match = re.search(r"/submissions/(\d+)", page.url)
    assert match, page.url
    return int(match.group(1))


def make_live_user(live_app, handle_prefix: str, display_name: str, *, district: str = ""):
    """A fresh teacher in the served app's database (unique handle per call), in the
    district with slug `district` when given. A test that changes a teacher's awards,
    points or hours uses one of its own: the demo teacher is read by other tests."""
    import time

    from sqlmodel import Session, select

    from server.models import Org, User

    with Session(live_app.extensions["db_engine"], expire_on_commit=False) as session:
        org = session.exec(select(Org).where(Org.slug == district)).one() if district else None
        user = User(
            handle=f"{handle_prefix}{time.monotonic_ns()}",
            display_name=display_name,
            org_id=org.id if org else None,
        )
        session.add(user)
        session.commit()
    return user


def sign_in_with_cookie(context, live_app, base_url: str, user) -> None:
    """Write the signed session cookie the app sets after a passkey sign-in (a real
    server-side session for `user`)."""
    from server.auth.session import session_cookie_for

    cookie = session_cookie_for(live_app, user.id)
    context.add_cookies(
        [{"name": live_app.config["SESSION_COOKIE_NAME"], "value": cookie, "url": base_url}]
    )
