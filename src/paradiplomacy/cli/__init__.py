"""The ``paradiplomacy`` command line."""
