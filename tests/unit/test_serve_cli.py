"""`chalkmark serve`: waitress's capacity settings come from Settings, not its defaults
(100 connections: user 101 would wait until a timeout)."""

from __future__ import annotations

import pytest
import waitress

from server.config import Settings


def test_serve_passes_the_capacity_settings_to_waitress(settings, runner, monkeypatch):
    settings.serve_threads, settings.serve_connection_limit = 12, 1500
    settings.serve_backlog, settings.serve_channel_timeout = 4096, 45
    calls = []
    monkeypatch.setattr(waitress, "serve", lambda app, **options: calls.append(options))

    result = runner.invoke(args=["serve", "--port", "5123"])

    assert result.exit_code == 0, result.output
    [options] = calls
    assert options == {
        "host": "127.0.0.1",
        "port": 5123,
        "threads": 12,
        "connection_limit": 1500,
        "backlog": 4096,
        "channel_timeout": 45,
        "asyncore_use_poll": True,
    }


def test_the_defaults_lift_waitress_past_100_connections():
    defaults = Settings()
    assert defaults.serve_connection_limit >= 1000
    assert defaults.serve_backlog >= 1024 and defaults.serve_threads >= 4


def test_capacity_and_push_hosts_are_read_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("CHALKMARK_INSTANCE_DIR", str(tmp_path))
    monkeypatch.setenv("CHALKMARK_SECRET_KEY", "x")
    for name, value in {
        "THREADS": "16",
        "CONNECTION_LIMIT": "2000",
        "BACKLOG": "512",
        "CHANNEL_TIMEOUT": "20",
    }.items():
        monkeypatch.setenv(f"CHALKMARK_SERVE_{name}", value)
    monkeypatch.setenv("CHALKMARK_PUSH_HOSTS", "push.example.org, *.push.example.net:8443")

    settings = Settings.from_env()

    assert (
        settings.serve_threads,
        settings.serve_connection_limit,
        settings.serve_backlog,
        settings.serve_channel_timeout,
    ) == (16, 2000, 512, 20)
    assert settings.push_hosts == ("push.example.org", "*.push.example.net:8443")
    assert settings.push_allow_private_addresses is False
    monkeypatch.setenv("CHALKMARK_SERVE_THREADS", "many")
    with pytest.raises(ValueError, match="CHALKMARK_SERVE_THREADS"):
        Settings.from_env()
