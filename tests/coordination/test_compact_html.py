"""Kept parts of pages are stored without the indentation and blank lines of their templates."""

from __future__ import annotations

from coordination.lib.fragments import compact_html


def test_white_space_around_line_breaks_becomes_one_line_break():
    line = '<p class="muted"><span>Vẽ</span> <time>02/12</time></p>'
    html = f'<article class="card">\n  <h2>Bé Lan</h2>\n\n  \n  {line}\n</article>\n'
    assert compact_html(html) == f'<article class="card">\n<h2>Bé Lan</h2>\n{line}\n</article>\n'


def test_spaces_within_a_line_are_kept_so_words_and_inline_tags_stay_apart():
    html = "<p><b>Lan</b> <i>Minh</i>  và   Hoa</p>"
    assert compact_html(html) == html


def test_html_that_shows_its_white_space_is_left_as_it_is():
    for html in ["<pre>\n  a\n\n  b\n</pre>\n\n", "<form>\n  <TEXTAREA>\n  line\n</TEXTAREA>\n</form>"]:
        assert compact_html(html) == html
