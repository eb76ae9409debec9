"""Article intake: files, URLs, feeds; HTML to text; duplicates and stories."""
