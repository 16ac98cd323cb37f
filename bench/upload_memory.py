"""Server memory while a 200 MB video uploads: evidence must stream to disk, never sit in
memory. Goal: peak RSS at most +30 MB over the idle baseline.

Serves the app with waitress in a subprocess on 127.0.0.1 (temp SQLite database and
evidence directory), signs a teacher in by writing the Flask session cookie with the app's
own signer, streams a generated MP4-looking body with http.client from a generator, and
samples the server's RSS every 50 ms.

Run: python -m bench.upload_memory
"""

from __future__ import annotations

import http.client
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

from sqlmodel import Session, SQLModel, select

from bench.common import write_result

UPLOAD_MB = 200
GOAL_DELTA_MB = 30
SAMPLE_SECONDS = 0.05
CHUNK = 1024 * 1024
MP4_HEADER = b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2"
SERVE = (
    "import os; from waitress import serve; from server import create_app; "
    "serve(create_app(), host='127.0.0.1', port=int(os.environ['PORT']), threads=4, "
    "_quiet=True)"
)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _env(root: Path, port: int) -> dict:
    return {
        **os.environ,
        "PORT": str(port),
        "CHALKMARK_INSTANCE_DIR": str(root / "instance"),
        "CHALKMARK_DATABASE_URL": f"sqlite:///{root / 'bench.db'}",
        "CHALKMARK_SECRET_KEY": "bench-upload-memory",
        "CHALKMARK_STORAGE_DIR": str(root / "evidence"),
        "CHALKMARK_PUBLIC_URL": f"http://localhost:{port}",
        "CHALKMARK_RATELIMIT": "0",
    }


def _seed_and_sign(env: dict) -> tuple[int, int, str]:
    """A teacher with a draft whose only part is a video; their signed session cookie."""
    from server import create_app
    from server.auth.session import session_cookie_for
    from server.config import Settings
    from server.models import EvidenceRequirement, Submission
    from tests.support.factories import make_credential, make_user

    settings = Settings(
        instance_dir=Path(env["CHALKMARK_INSTANCE_DIR"]),
        database_url=env["CHALKMARK_DATABASE_URL"],
        secret_key=env["CHALKMARK_SECRET_KEY"],
        storage_dir=Path(env["CHALKMARK_STORAGE_DIR"]),
    )
    app = create_app(settings)
    engine = app.extensions["db_engine"]
    SQLModel.metadata.create_all(engine)
    with Session(engine, expire_on_commit=False) as session:
        teacher = make_user(session, name="Bench Teacher")
        credential = make_credential(session, kinds=("video",))
        requirement = session.exec(
            select(EvidenceRequirement).where(EvidenceRequirement.credential_id == credential.id)
        ).one()
        requirement.max_count = 5
        draft = Submission(user_id=teacher.id, credential_id=credential.id)
        session.add_all([requirement, draft])
        session.commit()
        cookie = session_cookie_for(app, teacher.id)
    engine.dispose()
    return draft.id, requirement.id, cookie


def _wait_until_serving(port: int, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("the server exited while starting")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("the server did not start within 30 s")


def _csrf_and_cookie(port: int, submission_id: int, cookie: str) -> tuple[str, str]:
    """Open the draft page like a browser: its CSRF token and the refreshed session."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request(
        "GET", f"/submissions/{submission_id}", headers={"Cookie": f"chalkmark_session={cookie}"}
    )
    response = conn.getresponse()
    html = response.read().decode()
    if response.status != 200:
        raise RuntimeError(f"draft page answered {response.status}")
    token = re.search(r'<meta name="csrf-token" content="([^"]+)"', html).group(1)
    set_cookie = response.getheader("Set-Cookie") or ""
    match = re.search(r"chalkmark_session=([^;]+)", set_cookie)
    conn.close()
    return token, match.group(1) if match else cookie


def _multipart(requirement_id: int, size: int) -> tuple[str, list[bytes], bytes, int]:
    boundary = uuid.uuid4().hex
    head = "".join(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
        for name, value in (("client_uuid", uuid.uuid4()), ("requirement_id", requirement_id))
    ) + (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
        f'filename="lesson.mp4"\r\nContent-Type: video/mp4\r\n\r\n'
    )
    tail = f"\r\n--{boundary}--\r\n".encode()
    return boundary, [head.encode()], tail, len(head.encode()) + size + len(tail)


def _body(head: list[bytes], size: int, tail: bytes):
    yield from head
    yield MP4_HEADER
    zeros = bytes(CHUNK)
    left = size - len(MP4_HEADER)
    while left > 0:
        piece = zeros if left >= CHUNK else zeros[:left]
        left -= len(piece)
        yield piece
    yield tail


def _upload(
    port: int, submission_id: int, requirement_id: int, token: str, cookie: str, size: int
) -> int:
    boundary, head, tail, length = _multipart(requirement_id, size)
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    conn.request(
        "POST",
        f"/submissions/{submission_id}/evidence?requirement_id={requirement_id}",
        body=_body(head, size, tail),
        headers={
            "Content-Type": f"multipart/form-data; boundary={boundary}",
            "Content-Length": str(length),
            "Accept": "application/json",
            "X-CSRFToken": token,
            "Cookie": f"chalkmark_session={cookie}",
        },
    )
    response = conn.getresponse()
    body = response.read()
    conn.close()
    if response.status not in (200, 201):
        raise RuntimeError(f"upload answered {response.status}: {body[:200]!r}")
    return response.status


def rss_mb(pid: int) -> float:
    try:
        import psutil

        return psutil.Process(pid).memory_info().rss / CHUNK
    except ImportError:
        status = Path(f"/proc/{pid}/status").read_text()
        return int(re.search(r"VmRSS:\s+(\d+) kB", status).group(1)) / 1024


class Sampler(threading.Thread):
    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid, self.samples, self.stop = pid, [], threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            self.samples.append(rss_mb(self.pid))
            time.sleep(SAMPLE_SECONDS)


def measure() -> dict:
    root = Path(tempfile.mkdtemp(prefix="chalkmark-bench-upload-"))
    port = _free_port()
    env = _env(root, port)
    server = None
    try:
        submission_id, requirement_id, cookie = _seed_and_sign(env)
        server = subprocess.Popen(
            [sys.executable, "-c", SERVE], env=env, cwd=Path(__file__).resolve().parent.parent
        )
        _wait_until_serving(port, server)
        token, cookie = _csrf_and_cookie(port, submission_id, cookie)
        _upload(port, submission_id, requirement_id, token, cookie, CHUNK)  # warm-up
        time.sleep(0.5)
        baseline = rss_mb(server.pid)
        sampler = Sampler(server.pid)
        sampler.start()
        started = time.monotonic()
        status = _upload(port, submission_id, requirement_id, token, cookie, UPLOAD_MB * CHUNK)
        seconds = time.monotonic() - started
        sampler.stop.set()
        sampler.join()
        stored = sorted(p.stat().st_size for p in (root / "evidence").rglob("*.mp4"))
        peak = max(sampler.samples + [baseline])
        return {
            "upload_mb": UPLOAD_MB,
            "status": status,
            "seconds": round(seconds, 2),
            "baseline_rss_mb": round(baseline, 1),
            "peak_rss_mb": round(peak, 1),
            "delta_mb": round(peak - baseline, 1),
            "goal_delta_mb": GOAL_DELTA_MB,
            "met_goal": peak - baseline <= GOAL_DELTA_MB,
            "samples": len(sampler.samples),
            "stored_bytes": stored[-1] if stored else 0,
        }
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=10)
        shutil.rmtree(root, ignore_errors=True)


def main() -> None:
    result = measure()
    path = write_result("upload_memory", result)
    print(f"{'upload':<14}{'baseline RSS':>14}{'peak RSS':>10}{'delta':>9}{'goal':>8}")
    print(
        f"{str(result['upload_mb']) + ' MB':<14}{result['baseline_rss_mb']:>11.1f} MB"
        f"{result['peak_rss_mb']:>7.1f} MB{result['delta_mb']:>6.1f} MB"
        f"{'≤ +' + str(GOAL_DELTA_MB):>8}  {'ok' if result['met_goal'] else 'OVER'}"
    )
    print(json.dumps(result))
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
