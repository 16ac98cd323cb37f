"""The scale run's users (locust): visitors reading the catalog, teachers capturing evidence
(photo uploads, files, links, an autosaved written response) and submitting, assessors
working the queue and deciding, and everyone signed in looking at leaderboards.

Sign-in: the cookies bench/scale/seed.py minted (SCALE_USERS, one person per locust user).
What the closing check needs (every upload the server acknowledged, by client_uuid; the
decisions made) goes to SCALE_OUT when the test stops.
Run through bench/scale/run.sh, not on its own.
"""

from __future__ import annotations

import json
import os
import random
import uuid
from collections import Counter
from itertools import count
from pathlib import Path

from locust import HttpUser, between, events, task

from bench.scale import pages

PEOPLE = json.loads(Path(os.environ["SCALE_USERS"]).read_text())
MEDIA = pages.Media()
SEATS = {"teachers": count(), "assessors": count()}
acknowledged: list[str] = []  # client_uuids of uploads answered 200/201
outcomes: Counter[str] = Counter()
JSON = {"Accept": "application/json"}
HTMX = {"HX-Request": "true"}


@events.test_stop.add_listener
def _write_outcomes(**_kwargs) -> None:
    Path(os.environ["SCALE_OUT"]).write_text(
        json.dumps({"uploads": acknowledged, "outcomes": outcomes})
    )


class Browsing(HttpUser):
    abstract = True
    csrf: str | None = None
    people: str | None = None  # signed in as one of PEOPLE[people]; anonymous if None

    def on_start(self) -> None:
        """The first page with a minted cookie (a person of its own per locust user); the
        answer sets the browser's own (now with a CSRF token), which the jar keeps."""
        if self.people is None:
            return
        seats = PEOPLE[self.people]
        cookie = seats[next(SEATS[self.people]) % len(seats)][1]
        self.get("/", "home", headers={"Cookie": f"chalkmark_session={cookie}"})
        if "chalkmark_session" not in self.client.cookies:
            raise RuntimeError("signing in did not set a session cookie")

    def get(self, path: str, name: str, **kwargs):
        with self.client.get(path, name=name, catch_response=True, **kwargs) as response:
            if response.status_code != 200:
                response.failure(f"{name}: {response.status_code}")
            elif "text/html" in response.headers.get("Content-Type", ""):
                self.csrf = pages.csrf_token(response.text) or self.csrf
            return response

    def post(self, path: str, name: str, expect=(303,), conflict_ok=False, **kwargs):
        data = {"csrf_token": self.csrf or "", **kwargs.pop("data", {})}
        with self.client.post(
            path, name=name, data=data, allow_redirects=False, catch_response=True, **kwargs
        ) as response:
            if conflict_ok and response.status_code == 409:
                outcomes[f"{name}: already taken"] += 1  # another assessor won the race
                response.success()
            elif response.status_code not in expect:
                why = pages.FIELD_ERROR.findall(response.text) or [response.text[:200]]
                response.failure(f"{name}: {response.status_code} {why}")
            return response

    def browse_catalog(self) -> str:
        """Stacks → a stack → one of its credentials; returns that credential's slug."""
        listing = self.get("/stacks", "stacks")
        stack = random.choice(pages.STACK_LINK.findall(listing.text) or ["none"])
        page = self.get(f"/stacks/{stack}", "stack")
        slug = random.choice(pages.CREDENTIAL_LINK.findall(page.text) or ["none"])
        self.get(f"/credentials/{slug}", "credential")
        return slug

    def leaderboards(self) -> None:
        self.get("/leaderboards", "leaderboard (week)")
        if random.random() < 0.5:
            self.get("/leaderboards?period=all", "leaderboard (all time)")


class Visitor(Browsing):
    """Someone reading about the credentials before signing up."""

    weight = 3
    wait_time = between(2, 6)

    @task(3)
    def catalog(self) -> None:
        self.get("/", "home")
        self.browse_catalog()

    @task(1)
    def credential_again(self) -> None:
        self.browse_catalog()


class Teacher(Browsing):
    weight = 5
    wait_time = between(2, 6)
    people = "teachers"

    @task(4)
    def capture(self) -> None:
        slug = self.browse_catalog()
        started = self.post(f"/credentials/{slug}/start", "start attempt")
        location = started.headers.get("Location", "")
        submission_id = location.rsplit("/", 1)[-1]
        if started.status_code != 303 or not submission_id.isdigit():
            return
        page = self.get(f"/submissions/{submission_id}", "attempt page")
        if not pages.is_draft(page.text, int(submission_id)):
            outcomes["attempt already submitted or earned"] += 1
            return
        self.fill(int(submission_id), page.text)

    def fill(self, submission_id: int, html: str) -> None:
        needed = pages.gaps(html)
        for part in pages.parts(html):
            if part.kind == "text":
                self.autosave(submission_id, part)
                continue
            for _ in range(needed.get(part.requirement_id, 0)):
                self.add(submission_id, part)
        page = self.get(f"/submissions/{submission_id}", "attempt page")
        if pages.gaps(page.text):
            outcomes["left as a draft"] += 1
            return
        self.post(f"/submissions/{submission_id}/submit", "submit", data={"consent": "yes"})
        outcomes["submitted"] += 1

    def autosave(self, submission_id: int, part: pages.Part) -> None:
        """Typing: htmx posts the text after each pause (800 ms), growing each time."""
        target = max(part.min_words, 60) + 10
        for share in (0.3, 0.7, 1.0):
            self.post(
                f"/submissions/{submission_id}/requirements/{part.requirement_id}/text",
                "autosave text",
                expect=(200,),
                headers=HTMX,
                data={"text": pages.words(int(target * share))},
            )

    def add(self, submission_id: int, part: pages.Part) -> None:
        client_uuid = str(uuid.uuid4())
        data = {"client_uuid": client_uuid, "requirement_id": str(part.requirement_id)}
        files = None
        if part.kind == "link":
            data["url"] = f"https://docs.example.org/lesson/{client_uuid[:8]}"
        elif part.kind == "file":
            files = {"file": ("lesson-plan.pdf", MEDIA.pdf, "application/pdf")}
        else:  # photo (a video part is optional in the demo catalog: never needed here)
            files = {"file": ("photo.jpg", MEDIA.photo(), "image/jpeg")}
        response = self.post(
            f"/submissions/{submission_id}/evidence?requirement_id={part.requirement_id}",
            f"upload {part.kind}",
            expect=(200, 201),
            headers=JSON,
            data=data,
            files=files,
        )
        if response.status_code in (200, 201) and files is not None:
            acknowledged.append(client_uuid)

    @task(2)
    def boards(self) -> None:
        self.leaderboards()

    @task(1)
    def progress(self) -> None:
        self.get("/me", "progress (/me)")
        self.get("/inbox", "inbox")


class Assessor(Browsing):
    weight = 1
    wait_time = between(3, 8)
    people = "assessors"

    @task(5)
    def review(self) -> None:
        queue = self.get("/review", "review queue")
        waiting = list(dict.fromkeys(pages.QUEUE_LINK.findall(queue.text)))[:10]
        if not waiting:
            outcomes["queue empty"] += 1
            return
        submission_id = random.choice(waiting)
        claimed = self.post(f"/review/{submission_id}/claim", "claim", conflict_ok=True)
        if claimed.status_code != 303:
            return
        page = self.get(f"/review/{submission_id}", "review page")
        for thumb in pages.THUMB.findall(page.text)[:3]:
            self.get(thumb, "evidence thumbnail")
        self.decide(submission_id, page.text)

    def decide(self, submission_id: str, html: str) -> None:
        """Award about half the complete attempts; "not yet" (with feedback) otherwise,
        and always when a required part has nothing (the seeded older attempts)."""
        award = random.random() < 0.55 and not pages.missing_evidence(html)
        criteria = pages.CRITERION.findall(html)
        data = {"decision": "award" if award else "not_yet"}
        for n, criterion in enumerate(dict.fromkeys(criteria)):
            data[f"met_{criterion}"] = "met" if award or n else "not_yet"
            data[f"comment_{criterion}"] = pages.words(12)
        data["feedback"] = pages.words(40)
        response = self.post(
            f"/review/{submission_id}/decide", "decide", conflict_ok=True, data=data
        )
        if response.status_code == 303:
            outcomes["awarded" if award else "not yet"] += 1

    @task(1)
    def boards(self) -> None:
        self.leaderboards()
