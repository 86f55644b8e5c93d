"""One module per CLI command: argument handling and output only; the work is in the core."""
