"""Data: the embedded datasets (Table 4.1 as published, the ``russia`` statistics, COINr's
ASEM example), importing publishers' files into datasets with provenance, and the store of
imported datasets."""
