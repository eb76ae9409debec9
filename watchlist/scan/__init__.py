"""The nightly scan: new articles screened, recent ones re-screened after a list change, and
people told of new hits.

- `job`: `watchlist scan` end to end (lock, list update, feeds, workers, summary).
- `batches`: claiming and screening batches of articles, each its own transaction; scan runs.
- `notify`: e-mail and signed webhook notices of new hits.

The top of the service: may import every other domain; nothing imports it but the CLI.
"""
