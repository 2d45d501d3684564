"""Importers: an agency's partner directory (CSV) and the AEI China Global Investment Tracker.

Both validate every row first and write nothing if any row is invalid (one transaction);
problems name the file and line. Imported rows carry ``origin`` = the agency's name (or
``aei_cgit``) so curated loads never touch them.
"""
