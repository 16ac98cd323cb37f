"""The scale run's pieces (bench/scale/, `make scale`) stay valid: the load test still
finds its way around the pages it drives. nginx and locust are installed by `make scale`
only (not by `make test`), so their own checks run there: nginx -t on the generated
config, the locustfile importing. The run itself is not a test (minutes, the whole machine)."""

import shutil
from pathlib import Path

from bench.scale import pages
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
