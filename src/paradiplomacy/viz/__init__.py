"""Maps and charts of regions and indices (matplotlib; offline boundary data)."""
