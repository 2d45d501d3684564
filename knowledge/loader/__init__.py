"""Load the YAML data files into the database: read, validate, then upsert in one transaction.

``validate_data(data_dir)`` checks every file without a database; ``load_data(engine)`` validates
first and writes nothing unless every record is valid.
"""

from knowledge.loader.errors import DataError, Problem
from knowledge.loader.load import LoadReport, load_data, validate_data

__all__ = ["DataError", "LoadReport", "Problem", "load_data", "validate_data"]
