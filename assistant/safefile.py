"""File safety for everything jixiao writes or reads back: atomic writes, capped reads, OS errors in Chinese."""
