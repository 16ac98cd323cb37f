"""The Web Push service of the scale run: the tests' receiver (tests/support/push_service.py:
every push's VAPID JWT checked, its aes128gcm body decrypted with the browser's key) as a
process on a fixed port, with `GET /stats` for the closing check.

It makes `--browsers` fake browsers and writes their subscription JSON to `--out`; the
seed saves them as the load test's teachers' devices, so a decision really reaches one.

Run: python -m bench.scale.push_receiver --port 8700 --browsers 1000 --out subs.json
"""

from __future__ import annotations

import argparse
import json
import signal
import threading
from http.server import ThreadingHTTPServer
from pathlib import Path

from tests.support.push_service import PushServiceReceiver, _handler_for


class ScalePushReceiver(PushServiceReceiver):
    """The same receiver, bound to a given port, answering GET /stats."""

    def __init__(self, port: int) -> None:  # noqa: D107 (the parent's set-up, on `port`)
        self.browsers = {}
        self.received = []
        self.requests = []
        self.errors = []
        self._script = []
        self._cond = threading.Condition()
        self._server = ThreadingHTTPServer(("127.0.0.1", port), _stats_handler(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stats(self) -> dict:
        with self._cond:
            return {
                "delivered": len(self.received),
                "requests": len(self.requests),
                "refused": sum(1 for r in self.requests if not 200 <= r.status < 300),
                "errors": self.errors[:5],
                "error_count": len(self.errors),
            }


def _stats_handler(receiver: ScalePushReceiver):
    base = _handler_for(receiver)

    class Handler(base):  # type: ignore[valid-type, misc]
        def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
            body = json.dumps(receiver.stats()).encode()
            self.send_response(200 if self.path == "/stats" else 404)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    return Handler


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--browsers", type=int, default=1000)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    receiver = ScalePushReceiver(args.port)
    subscriptions = [receiver.new_browser().as_json() for _ in range(args.browsers)]
    receiver.start()
    partial = args.out.with_suffix(".partial")
    partial.write_text(json.dumps(subscriptions))
    partial.rename(args.out)  # appears whole: run.sh waits for it
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    stop.wait()
    receiver.close()


if __name__ == "__main__":
    main()
