"""Forms of the journal's web pages: they parse and validate input; services do the rest."""
