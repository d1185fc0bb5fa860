"""Declaring kinds: a catalog from modules, refusing declarations that would clash (SPEC §10)."""

from __future__ import annotations

import textwrap

import pytest

from parley.domain.catalog import BUILT_IN, BadDeclaration, Catalog, UndeclaredKind, load
from parley.service.settings import Settings

KIND = """
from parley.domain.facts import Fact, State
from parley.domain.shown import KindState
from parley.domain.subject import Subject, SubjectCreated
from parley.domain.values import Name, Strict


class Data(Strict):
    name: Name


class {cls}State(KindState):
    name: Name | None


class {cls}(Subject):
    kind = "{kind}"
    label, plural, colour, description = "{cls}", "{kind}s", "#123456", "For a test."
    state_model = {cls}State

    class {created}(SubjectCreated):
        class_version = 1
        data_model = Data
        evolved = staticmethod(lambda state, fact: {{**state, "name": fact.data["name"]}})
"""


@pytest.fixture
def module(tmp_path, monkeypatch):
    monkeypatch.syspath_prepend(str(tmp_path))

    def write(name: str, text: str) -> str:
        (tmp_path / f"{name}.py").write_text(textwrap.dedent(text))
        return name

    return write


def test_the_built_in_kinds_come_from_their_modules() -> None:
    assert BUILT_IN == load(())
    assert all(cls.__module__.startswith("parley.domain.") for cls in BUILT_IN.classes)
    with pytest.raises(UndeclaredKind, match="not declared"):
        BUILT_IN.subject_class("nothing")


def test_extra_modules_add_their_kinds_after_the_built_in_ones(module) -> None:
    name = module("kinds_rope", KIND.format(cls="Rope", kind="rope", created="RopeTied"))
    catalog = load((name,))
    assert catalog.kinds == (*BUILT_IN.kinds, "rope")
    assert "RopeTied" in catalog.types and catalog.kind_of_type("RopeTied") == "rope"
    assert catalog.subject_class("rope").state_fields == ("name",)


def test_an_event_type_declared_by_two_kinds_is_refused(module) -> None:
    name = module("kinds_copycat", KIND.format(cls="Copycat", kind="copycat", created="DelegationFormed"))
    with pytest.raises(BadDeclaration, match="DelegationFormed is also declared"):
        Catalog((*BUILT_IN.modules, name))


def test_a_kind_declared_twice_is_refused(module) -> None:
    name = module("kinds_twice", KIND.format(cls="Twice", kind="plan", created="TwicePlanned"))
    with pytest.raises(BadDeclaration, match="declared twice"):
        Catalog((*BUILT_IN.modules, name))


def test_a_module_that_declares_nothing_or_cannot_be_imported_is_refused(module) -> None:
    empty = module("kinds_empty", "VALUE = 1\n")
    with pytest.raises(BadDeclaration, match="declares no kind"):
        Catalog((empty,))
    with pytest.raises(BadDeclaration, match="cannot be imported"):
        Catalog(("kinds_that_do_not_exist",))


def test_the_setting_names_modules_comma_separated(monkeypatch) -> None:
    monkeypatch.setenv("PARLEY_KINDS_EXTRA", " parley.scripts.kinds.ceasefire , tests.truce_kind,")
    assert Settings().extra_kind_modules == ("parley.scripts.kinds.ceasefire", "tests.truce_kind")


def test_a_kinds_hooks_are_checked_when_declared(module) -> None:
    text = KIND.format(cls="Hooked", kind="hooked", created="HookedMade")
    routes = module("kinds_routes", text + '    routes = ("not a route",)\n')
    with pytest.raises(BadDeclaration, match="each must be 'module:function'"):
        Catalog((routes,))
    cues = module(
        "kinds_cues",
        text.replace("Hooked", "Cued").replace("hooked", "cued") + '    drafting_cues = {"DelegationFormed": ("formed",)}\n',
    )
    with pytest.raises(BadDeclaration, match="drafting_cues names DelegationFormed"):
        Catalog((cues,))
