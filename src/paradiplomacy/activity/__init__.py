"""The registry of paradiplomatic activity: a database of agreements, offices, consulates,
twin cities, visits, forums, associations and programmes, classified by the chapter's
typologies and turned into indicators."""
