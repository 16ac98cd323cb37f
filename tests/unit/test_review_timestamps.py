"""[m:ss] markers become seek buttons; everything else in the comment stays escaped text."""

from server.review.timestamps import clock, render


def test_markers_become_buttons_and_the_rest_stays_escaped():
    html = render('At [1:23] <script>alert("x")</script> & again [0:05], not [1:5] or [x:12]')
    assert html.count('<button type="button" class="timestamp-seek"') == 2
    assert 'data-seek="83">[1:23]<span class="visually-hidden"> play the video from 1:23' in html
    assert 'data-seek="5">[0:05]' in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; again" in html
    assert "<script>" not in html and "[1:5] or [x:12]" in html


def test_a_marker_cannot_smuggle_markup_and_hours_are_read():
    html = render('[1:02:03]"><img src=x onerror=alert(1)>')
    assert 'data-seek="3723">[1:02:03]' in html
    assert "<img" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    assert render(None) == "" and clock(3723) == "1:02:03" and clock(83) == "1:23"
