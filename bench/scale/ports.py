"""Print N free loopback ports (the scale run's services), one a line."""

from __future__ import annotations

import socket
import sys


def free_ports(count: int) -> list[int]:
    sockets = [socket.socket() for _ in range(count)]
    try:
        for sock in sockets:
            sock.bind(("127.0.0.1", 0))
        return [sock.getsockname()[1] for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()


if __name__ == "__main__":
    print("\n".join(map(str, free_ports(int(sys.argv[1])))))
