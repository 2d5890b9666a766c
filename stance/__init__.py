"""stance: who says what in the news, and how they frame it."""

__version__ = "0.1.0"
