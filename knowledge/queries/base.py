"""Helpers shared by the query modules."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from knowledge.db import session_scope
from knowledge.regions import WORLD, load_regions, places_containing, resolve_place


@contextmanager
def use_session(session: Session | None, engine: Engine | str | None = None) -> Iterator[Session]:
    """The caller's session, or a new one on ``engine`` (default database)."""
    if session is not None:
        yield session
        return
    with session_scope(engine) as own:
        yield own


def place_countries(place: str | None) -> frozenset[str] | None:
    """Countries a place names (``None``: anywhere)."""
    return resolve_place(place)


def places_covering(place: str | None) -> frozenset[str] | None:
    """Place keys whose coverage includes ``place`` (a country, a region's countries, or the
    region itself and its parents), for matching 'serves X' rows; ``None`` means anywhere."""
    countries = resolve_place(place)
    if countries is None:
        return None
    keys: set[str] = {WORLD}
    for iso in countries:
        keys |= places_containing(iso)
    if place and place in load_regions():
        keys.add(place)
    return frozenset(keys)


def overlap(covered: frozenset[str] | None, wanted: frozenset[str] | None) -> str:
    """``all`` when ``covered`` includes every wanted country, ``some``, or ``none``."""
    if covered is None or wanted is None:
        return "all"
    hit = covered & wanted
    if hit == wanted:
        return "all"
    return "some" if hit else "none"


def expand(places: list[str]) -> frozenset[str] | None:
    """Countries covered by a list of place keys (``None`` when one of them is ``world``)."""
    out: set[str] = set()
    for place in places:
        countries = resolve_place(place)
        if countries is None:
            return None
        out |= countries
    return frozenset(out)
