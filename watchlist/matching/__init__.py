"""Name matching: pure functions over names and settings; no SQL, no IO."""
