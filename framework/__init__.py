"""activities: Marketo Engage custom activity types as code."""

__version__ = "0.1.0"
