"""List importers: each turns one publisher's file format into `ParsedList` values."""
