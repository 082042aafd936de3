"""paradiplomacy: measure, explain and map the international activity of subnational regions."""

__version__ = "0.1.0"
