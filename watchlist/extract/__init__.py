"""Text preparation and name finding: pure functions over text; no SQL, no IO."""
