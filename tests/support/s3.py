"""An S3 endpoint for the tests: moto's standalone server (a real HTTP S3 API, in a thread of
the test process) on a free loopback port, started once per session; a fresh private bucket
per test."""

from __future__ import annotations

import socket
import uuid
from dataclasses import dataclass

import pytest

ACCESS_KEY_ID = "testing"
SECRET_ACCESS_KEY = "testing"
REGION = "us-east-1"


@dataclass
class S3Bucket:
    endpoint_url: str
    name: str
    client: object  # a boto3 S3 client on the same endpoint, to look behind the storage

    def settings(self) -> dict[str, str]:
        """Settings fields that switch the app's evidence store to this bucket."""
        return {
            "s3_bucket": self.name,
            "s3_endpoint_url": self.endpoint_url,
            "s3_region": REGION,
            "s3_access_key_id": ACCESS_KEY_ID,
            "s3_secret_access_key": SECRET_ACCESS_KEY,
        }


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def s3_endpoint():
    from moto.server import ThreadedMotoServer

    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture
def s3_bucket(s3_endpoint) -> S3Bucket:
    import boto3

    client = boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        region_name=REGION,
        aws_access_key_id=ACCESS_KEY_ID,
        aws_secret_access_key=SECRET_ACCESS_KEY,
    )
    name = f"evidence-{uuid.uuid4().hex[:12]}"
    client.create_bucket(Bucket=name)
    return S3Bucket(s3_endpoint, name, client)
