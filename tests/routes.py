"""Every URL pattern of the URL conf, for the tests that walk all pages (the permission matrix, hostile parameters,
the phone and English crawls): one walk, so they all see the same pages."""

from __future__ import annotations


def routes() -> list[tuple[str, str, object]]:
    """(namespaced name — the route when unnamed —, route, URLPattern) of every pattern, in URL-conf order."""
    from django.urls import URLPattern, URLResolver, get_resolver

    out: list[tuple[str, str, object]] = []

    def walk(patterns, prefix="", ns=""):
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns, prefix + str(p.pattern), f"{ns}{p.namespace}:" if p.namespace else ns)
            elif isinstance(p, URLPattern):
                route = prefix + str(p.pattern)
                out.append((f"{ns}{p.name}" if p.name else route, route, p))

    walk(get_resolver().url_patterns)
    return out


def start_pages(not_pages) -> list[str]:
    """Every page path without parameters, leaving out the API and the routes whose name `not_pages` matches."""
    return ["/" + route.lstrip("^").rstrip("$") for name, route, _p in routes()
            if "<" not in route and not route.startswith("api/") and not not_pages.match(name)]
