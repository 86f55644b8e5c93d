"""One module per CLI command: argument handling and output only; the work is in the core."""


def load_or_report(path):
    """The project file at `path`, or None after printing the loader's message (file, key, line) to stderr."""
    import sys

    from ..tomlio import TableFileError, load

    try:
        return load(path)
    except TableFileError as exc:
        print(exc, file=sys.stderr)
        return None
