"""The curated knowledge base of the SME going-global advisor.

Nothing in this package imports Rasa. Public entry points:

* :mod:`knowledge.sectors` - the sector vocabulary (no database needed);
* :mod:`knowledge.regions` - region keys and the countries they name;
* :mod:`knowledge.db` - engine factory and ``session_scope``;
* :mod:`knowledge.queries` - ``match_financing``, ``find_partners``, ``recommend_parks``,
  ``follow_the_leader`` and ``country_brief``;
* :mod:`knowledge.cli` - the ``knowledge`` command (``python -m knowledge``).
"""

__all__ = ["__version__"]

__version__ = "0.1.0"
