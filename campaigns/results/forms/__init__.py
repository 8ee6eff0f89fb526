"""Forms of the results pages, one module per topic (entry: manual entry of figures)."""
