"""The application: the `plancheck` command and the local web app. Thin: it
wires the stages together and turns domain errors into one-line messages."""

__version__ = "0.1.0"
