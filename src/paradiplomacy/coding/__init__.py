"""Research instruments: codebooks (Kuznetsov's framework and the chapter's typologies),
coded interviews and their analysis, and the four leagues of regions."""
