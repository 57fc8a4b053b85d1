"""The apps' URLs, each passed over by the addresses none of its pages can take
(coordination/lib/routing.py): every address finds the page Django's own includes would find."""

from __future__ import annotations

import re
import uuid
from types import SimpleNamespace

import pytest
from django.urls import Resolver404, URLPattern, URLResolver, get_resolver, include, path
from django.urls.resolvers import RegexPattern, RoutePattern

from coordination.lib.routing import SectionPattern, any_of

SAMPLES = {"int": ["7", "0", "123456"], "slug": ["sao-mai", "w"], "str": ["abc", "Zx-9_"], "path": ["a/b", "x"]}
SAMPLES["uuid"] = [str(uuid.UUID(int=5))]
SAMPLES[""] = SAMPLES["str"]
CONVERTER = re.compile(r"<(?:(\w+):)?\w+>")


def _routes(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern) and isinstance(pattern.pattern, RoutePattern):
            yield prefix + str(pattern.pattern)


def _addresses() -> list[str]:
    """Addresses of every page (each converter with a few values), and of no page."""
    addresses = set()
    for route in _routes(get_resolver().url_patterns):
        for i in range(3):

            def value(match, i=i):
                choices = SAMPLES[match.group(1) or ""]
                return choices[i % len(choices)]

            addresses.add("/" + CONVERTER.sub(value, route))
    addresses |= {f"{address}x" for address in list(addresses)}  # near misses
    addresses |= {"/", "/schools/", "/children/", "/children/7/nothing/", "/nowhere/", "/w/", "/schools/a/b/c/d/"}
    return sorted(addresses)


def _plain():
    """The same URLs with Django's own includes."""
    patterns = [
        path("", include(p.urlconf_name)) if isinstance(getattr(p, "pattern", None), SectionPattern) else p
        for p in get_resolver().url_patterns
    ]
    return URLResolver(RegexPattern(r"^/"), SimpleNamespace(urlpatterns=patterns))


def _found(resolver, address):
    try:
        match = resolver.resolve(address)
    except Resolver404:
        return None
    return match.func, match.args, match.kwargs, match.view_name, match.route


def test_every_app_is_included_as_a_section_that_can_be_passed_over():
    sections = [p for p in get_resolver().url_patterns if isinstance(getattr(p, "pattern", None), SectionPattern)]
    assert {p.urlconf_module.__name__ for p in sections} >= {
        "parents.urls",
        "schools.urls",
        "activities.urls",
        "donations.urls",
    }
    for section in sections:
        assert any_of(section.url_patterns) is not None, section.urlconf_module.__name__


def test_every_address_finds_the_page_djangos_includes_find():
    ours, plain = get_resolver(), _plain()
    addresses = _addresses()
    assert len(addresses) > 500
    found = 0
    for address in addresses:
        expected = _found(plain, address)
        assert _found(ours, address) == expected, address
        found += expected is not None
    assert found > 300  # most of them are pages


@pytest.mark.parametrize(
    ("address", "view"),
    [
        ("/children/7/activities/", "activities:feed"),
        ("/schools/sao-mai/transparency/", "donations:transparency"),
        ("/menus/", "community:menu_family"),
        ("/family/", "parents:home"),
    ],
)
def test_an_address_passes_over_the_apps_that_cannot_have_it(address, view, monkeypatch):
    """Fewer patterns are tried than with Django's includes, and the same page is found."""
    tried = []
    resolve = URLPattern.resolve

    def counted(self, path):
        tried.append(self)
        return resolve(self, path)

    monkeypatch.setattr(URLPattern, "resolve", counted)
    assert get_resolver().resolve(address).view_name == view
    ours = len(tried)
    tried.clear()
    assert _plain().resolve(address).view_name == view
    if view != "parents:home":  # the first app: nothing before it to pass over
        assert ours < len(tried) / 2, (ours, len(tried))


def test_an_app_whose_patterns_cannot_be_summed_up_is_never_passed_over():
    from django.urls import re_path

    def view(request):
        return None

    assert any_of([re_path(r"^(?P<a>x)(?P=a)/$", view)]) is None  # a back reference
    assert any_of([path("<slug:school>/", view), path("news/", view)]).search("anything/")
    summed = any_of([path("children/<int:child_id>/", view), path("news/", view)])
    assert summed.search("children/3/") and summed.search("news/")
    assert not summed.search("children/x/") and not summed.search("menus/")
