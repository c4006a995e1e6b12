"""GX's Data Docs templates are compiled once per process; an edited template is recompiled."""

from __future__ import annotations

from jinja2 import DictLoader, Environment

from expectations import gx_template_cache
from expectations.gx_template_cache import SharedBytecodeCache


def _environment(templates: dict[str, str], cache: SharedBytecodeCache) -> Environment:
    return Environment(loader=DictLoader(templates), bytecode_cache=cache)


def test_a_second_environment_reuses_the_compiled_template(monkeypatch):
    cache = SharedBytecodeCache()
    templates = {"page.html": "<h1>{{ title }}</h1>"}
    first = _environment(templates, cache)
    assert first.get_template("page.html").render(title="Run 1") == "<h1>Run 1</h1>"

    second = _environment(templates, cache)
    compiled = []
    monkeypatch.setattr(second, "compile", lambda *a, **k: compiled.append(a) or None)
    assert second.get_template("page.html").render(title="Run 2") == "<h1>Run 2</h1>"
    assert compiled == []  # loaded from the shared cache, not compiled again


def test_an_edited_template_is_compiled_afresh():
    cache = SharedBytecodeCache()
    assert _environment({"page.html": "old {{ x }}"}, cache).get_template(
        "page.html").render(x=1) == "old 1"
    assert _environment({"page.html": "new {{ x }}"}, cache).get_template(
        "page.html").render(x=1) == "new 1"


def test_gx_views_share_the_cache():
    from great_expectations.render.view import DefaultJinjaPageView

    assert gx_template_cache.PATCHED
    assert DefaultJinjaPageView().env.bytecode_cache is gx_template_cache._SHARED
