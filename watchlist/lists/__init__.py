"""The sanctions lists: importing and updating them, one versioned change at a time.

- `apply`: a parsed list applied to the registry as one diffed, versioned change; the seed.
- `updates`: importing a list file, the configured sources, their status, versions and the
  change log.
- `jobs`: the import and update jobs (read or fetch, parse, apply, each list in its own
  transaction).
- `diff`: the before and after values of a changed entity, as the change log shows them.
- `plausibility`: the guard that refuses a version removing too much.

May import the registry (`watchlist.registry`), the list readers (`watchlist.sources`), the
models and the shared modules at the top of `watchlist`; never screening, review or the scan.
"""
