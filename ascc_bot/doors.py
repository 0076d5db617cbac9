"""Imports the optional doors so that they register their routes on the app."""
