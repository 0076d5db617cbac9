"""ASCC Bot: exact, cited answers about the Hai Phong ASCC plan and related documents."""

__version__ = "0.1.0"
