"""One exception hierarchy for everything paperkg raises on purpose."""


class PaperKGError(Exception):
    """Base of every error paperkg reports to a user (the CLI turns it into ``Error: ...``)."""


class InputError(PaperKGError):
    """An input file cannot be used at all (unreadable, unknown format, no records)."""


class StrictModeError(InputError):
    """``--strict`` was given and a record had to be skipped."""


class FormatError(PaperKGError):
    """An unknown input or output format name was requested."""


class StoreError(PaperKGError):
    """The store is missing, locked, or cannot be opened."""


class QueryError(PaperKGError):
    """A SPARQL query failed to parse or run."""
