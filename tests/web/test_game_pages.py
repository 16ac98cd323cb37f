"""The progress page, the visibility setting, leaderboards and their CSV export, through
the Flask test client: who may see what, names as each viewer may see them, CSRF."""

from __future__ import annotations

import csv
import io

import pytest
from sqlmodel import Session

from server.game import ledger
from server.models import User
from tests.support.factories import make_cohort, make_org, make_user
from tests.support.web import csrf_token, htmx_headers, post_form, sign_in_as

SIGN_IN = "/auth/sign-in"


@pytest.fixture
def world(engine):
    with Session(engine, expire_on_commit=False) as session:
        org = make_org(session, name="Riverside")
        people = {
            handle: make_user(
                session, name=name, handle=handle, org_id=org.id, leaderboard_visibility=vis
            )
            for handle, name, vis in [
                ("maya", "Maya Ortiz", "cohort"),
                ("pat", "Pat Public", "public"),
                ("ann", "Ann Onymous", "anonymous"),
                ("hal", "Hal Hidden", "hidden"),
                ("eve", "=cmd|' /C calc'!A0", "public"),
                ("olga", "Olga Outside", "public"),
            ]
        }
        people["sam"] = make_user(session, "coach", name="Sam Coach", handle="sam", org_id=org.id)
        people["ada"] = make_user(session, "admin", name="Ada Admin", handle="ada", org_id=org.id)
        adopters = make_cohort(
            session,
            coach=people["sam"],
            name="Early Adopters",
            org_id=org.id,
            members=[people[h] for h in ("maya", "pat", "ann", "hal", "eve")],
        )
        elsewhere = make_cohort(
            session, coach=people["ada"], name="Elsewhere", members=[people["olga"]]
        )
        for handle, points in [
            ("hal", 900),
            ("pat", 400),
            ("ann", 300),
            ("maya", 260),
            ("eve", 10),
            ("olga", 50),
        ]:
            ledger.pay(
                session=session,
                user_id=people[handle].id,
                rule="credential_earned",
                ref="seed",
                points=points,
            )
        session.commit()
    return {"org": org, "adopters": adopters, "elsewhere": elsewhere, **people}


def _board_url(world, kind="cohort", period="all", name="adopters"):
    scope_id = world["org"].id if kind == "org" else world[name].id
    return f"/leaderboards?board={kind}-{scope_id}&period={period}"


# --- signed out ----------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/me", "/leaderboards", "/leaderboards/export.csv"])
def test_signed_out_visitors_are_sent_to_sign_in(client, path):
    response = client.get(path)
    assert response.status_code == 303
    assert response.headers["Location"].startswith(SIGN_IN)
    htmx = client.get(path, headers=htmx_headers())
    assert htmx.status_code == 401 and htmx.headers["HX-Redirect"].startswith(SIGN_IN)


def test_signed_out_visibility_post_is_refused(client):
    assert client.post("/me/visibility", data={"visibility": "public"}).status_code == 400
    response = post_form(client, "/me/visibility", {"visibility": "public"})
    assert response.status_code == 303 and response.headers["Location"].startswith(SIGN_IN)


# --- progress page -------------------------------------------------------------------


def test_the_progress_page_shows_points_level_streak_and_chart(client, world):
    sign_in_as(client, world["maya"])
    html = client.get("/me").get_data(as_text=True)
    assert "Level 2: Practitioner" in html and ">260<" in html
    assert "week streak" in html or "weeks streak" in html
    assert '<svg class="points-chart"' in html and 'role="img"' in html
    assert "style=" not in html  # CSP: no inline style attributes
    assert 'href="/me"' in html and 'href="/leaderboards"' in html  # header links


def test_the_level_celebration_shows_once(client, world):
    sign_in_as(client, world["maya"])
    assert "You reached level 2: Practitioner!" in client.get("/me").get_data(as_text=True)
    assert "You reached level 2" not in client.get("/me").get_data(as_text=True)


def test_visibility_post_needs_csrf(client, world, engine):
    sign_in_as(client, world["maya"])
    response = client.post("/me/visibility", data={"visibility": "hidden"})
    assert response.status_code == 400
    assert _visibility(engine, world["maya"]) == "cohort"


def test_visibility_is_saved_with_a_303(client, world, engine):
    sign_in_as(client, world["maya"])
    response = post_form(client, "/me/visibility", {"visibility": "anonymous"})
    assert response.status_code == 303 and response.headers["Location"].endswith("/me#visibility")
    assert _visibility(engine, world["maya"]) == "anonymous"
    assert "Leaderboard visibility saved: Anonymous." in client.get("/me").get_data(as_text=True)


def test_an_unknown_visibility_is_a_clear_422(client, world, engine):
    sign_in_as(client, world["maya"])
    response = client.post(
        "/me/visibility", data={"visibility": "everyone", "csrf_token": csrf_token(client, "/me")}
    )
    assert response.status_code == 422
    assert "Choose one of the leaderboard options." in response.get_data(as_text=True)
    assert _visibility(engine, world["maya"]) == "cohort"


def _visibility(engine, user: User) -> str:
    with Session(engine) as session:
        return session.get(User, user.id).leaderboard_visibility


# --- leaderboards --------------------------------------------------------------------


def test_a_member_sees_their_boards_with_names_as_chosen(client, world):
    sign_in_as(client, world["maya"])
    html = client.get(_board_url(world)).get_data(as_text=True)
    assert "Early Adopters" in html and "Riverside" in html and "Elsewhere" not in html
    assert "Pat Public" in html and "Maya Ortiz (you)" in html
    assert "Anonymous teacher" in html and "Ann Onymous" not in html
    assert "Hal" not in html and "900" not in html  # hidden: not on the board at all
    assert "Download the whole ranking" not in html


def test_the_coach_sees_real_names_but_never_the_hidden(client, world):
    sign_in_as(client, world["sam"])
    html = client.get(_board_url(world)).get_data(as_text=True)
    assert "Ann Onymous" in html and "Anonymous teacher" not in html
    assert "Hal" not in html
    assert "Download the whole ranking" in html


def test_a_hidden_member_sees_themselves_as_you_hidden(client, world):
    sign_in_as(client, world["hal"])
    board = client.get(_board_url(world), headers=htmx_headers()).get_data(as_text=True)
    assert "you (hidden)" in board and "Hal Hidden" not in board
    assert "only you see this" in board


def test_others_in_the_district_see_cohort_only_people_anonymously(client, world):
    sign_in_as(client, world["olga"])
    html = client.get(_board_url(world, kind="org")).get_data(as_text=True)
    assert "Maya Ortiz" not in html and "Anonymous teacher" in html
    assert "Pat Public" in html and "Hal" not in html


def test_another_cohorts_board_is_forbidden(client, world):
    sign_in_as(client, world["maya"])
    response = client.get(_board_url(world, name="elsewhere"))
    assert response.status_code == 403
    fragment = client.get(_board_url(world, name="elsewhere"), headers=htmx_headers())
    assert fragment.status_code == 403 and "<html" not in fragment.get_data(as_text=True)


@pytest.mark.parametrize("query", ["board=cohort-abc", "board=team-1", "period=month"])
def test_bad_board_addresses_get_a_clear_message(client, world, query):
    sign_in_as(client, world["maya"])
    response = client.get(f"/leaderboards?{query}")
    assert response.status_code == 422


def test_tabs_swap_just_the_board_for_htmx(client, world):
    sign_in_as(client, world["maya"])
    response = client.get(_board_url(world, period="week"), headers=htmx_headers())
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in html
    assert html.lstrip().startswith('<div id="leaderboard"')
    assert "HX-Request" in response.headers["Vary"]
    assert 'hx-push-url="true"' in html and "this week" in html


def test_someone_without_cohort_or_district_gets_an_empty_state(client, engine):
    with Session(engine, expire_on_commit=False) as session:
        loner = make_user(session)
    sign_in_as(client, loner)
    html = client.get("/leaderboards").get_data(as_text=True)
    assert "no leaderboard to show" in html


# --- export --------------------------------------------------------------------------


def _csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.get_data(as_text=True))))


def test_the_coach_downloads_the_ranking_with_visibility_honoured(client, world):
    sign_in_as(client, world["sam"])
    response = client.get(_board_url(world).replace("/leaderboards", "/leaderboards/export.csv"))
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = _csv(response)
    assert rows[0] == ["rank", "name", "points"]
    assert [r[1] for r in rows[1:]] == [
        "Pat Public",
        "Ann Onymous",
        "Maya Ortiz",
        "'=cmd|' /C calc'!A0",
    ]


def test_a_district_admin_downloads_real_names_but_never_the_hidden(client, world):
    sign_in_as(client, world["ada"])
    response = client.get(
        _board_url(world, kind="org").replace("/leaderboards", "/leaderboards/export.csv")
    )
    names = [r[1] for r in _csv(response)[1:]]
    assert "Ann Onymous" in names and "Maya Ortiz" in names
    assert "Olga Outside" in names and "Hal Hidden" not in names
    assert "Ada Admin (you)" in names
    assert "Anonymous teacher" not in names


def test_members_cannot_download_the_whole_ranking(client, world):
    sign_in_as(client, world["maya"])
    response = client.get(_board_url(world).replace("/leaderboards", "/leaderboards/export.csv"))
    assert response.status_code == 403


def test_many_boards_are_offered_as_a_choice_list(client, world, engine):
    with Session(engine) as session:
        for n in range(8):
            make_cohort(session, coach=world["ada"], name=f"Extra {n}", members=[])
    sign_in_as(client, world["ada"])
    html = client.get("/leaderboards").get_data(as_text=True)
    assert '<select id="board-choice" name="board">' in html
    assert html.count("<option ") == 11  # ten cohorts and the district
    assert '<label for="board-choice">' in html
