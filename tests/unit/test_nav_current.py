"""The main navigation's current link: the longest matching address wins, so /me and
/me/credentials never both claim the page; a page inside a section marks it, not as itself."""

import pytest

from server.nav import current_index

LINKS = [["/home", "/"], ["/stacks", "/credentials"], ["/me"], ["/me/credentials"], ["/review"]]


@pytest.mark.parametrize(
    "path, expected",
    [
        ("/", (0, True)),
        ("/home", (0, True)),
        ("/me", (2, True)),
        ("/me/credentials", (3, True)),
        ("/me/evidence/erase", (2, False)),
        ("/stacks/fractions", (1, False)),
        ("/credentials/working-memory", (1, False)),
        ("/review/12", (4, False)),
        ("/reviewers", (None, False)),
        ("/inbox", (None, False)),
    ],
)
def test_the_longest_match_is_current(path, expected):
    assert current_index(path, LINKS) == expected
