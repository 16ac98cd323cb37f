"""The scale run's pieces (bench/scale/, `make scale`) stay valid: the load test still
finds its way around the pages it drives, nginx accepts the generated config, and the
locustfile imports. The run itself is not a test (minutes, the whole machine)."""

import json
import os
import shutil
import subprocess
import sys
from importlib.util import find_spec
from pathlib import Path

import pytest

from bench.scale import nginx, pages
from tests.support.evidence import as_role, make_world

ROOT = Path(__file__).resolve().parents[2]
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def test_the_load_test_reads_the_attempt_page(client, session):
    world = make_world(session)
    as_role(client, world, "owner")
    html = client.get(f"/submissions/{world.submission.id}").get_data(as_text=True)
    kinds = {part.requirement_id: part.kind for part in pages.parts(html)}
    assert kinds == {world.photo_requirement_id: "photo", world.text_requirement_id: "text"}
    assert set(pages.gaps(html)) == set(kinds)
    assert pages.is_draft(html, world.submission.id)
    assert pages.csrf_token(html)


@pytest.mark.skipif(not Path(NGINX).exists(), reason="nginx is not installed")
def test_the_generated_nginx_config_passes_nginx_t(tmp_path):
    conf = tmp_path / "nginx.conf"
    conf.write_text(nginx.config(18080, [18081, 18082], tmp_path))
    checked = subprocess.run(
        [NGINX, "-t", "-p", str(tmp_path), "-c", str(conf)], capture_output=True, text=True
    )
    assert checked.returncode == 0, checked.stderr
    assert "server 127.0.0.1:18081;" in conf.read_text()


@pytest.mark.skipif(find_spec("locust") is None, reason="the `scale` extra is not installed")
def test_the_locustfile_imports(tmp_path):
    # In a child process: importing locust monkey-patches the whole process (gevent).
    people = tmp_path / "users.json"
    people.write_text(json.dumps({"teachers": [[1, "c"]], "assessors": [[2, "c"]]}))
    env = {**os.environ, "SCALE_USERS": str(people), "SCALE_OUT": str(tmp_path / "out.json")}
    env["PYTHONPATH"] = str(ROOT)
    code = "import bench.scale.locustfile as f; print(f.Visitor, f.Teacher, f.Assessor)"
    ran = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert ran.returncode == 0, ran.stderr
    assert "Teacher" in ran.stdout
