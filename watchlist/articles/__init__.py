"""Articles: taking them in (files, URLs, feeds), turning HTML into text, grouping rewrites into
stories, and reading one back with its hits.

- `intake`: store and screen one article; read a feed and take in its new articles.
- `store`: storing an article once, in its story.
- `documents`, `html`: submitted bytes and HTML pages into article text.
- `feeds`: RSS and Atom feeds.
- `web`: fetching article pages and feeds safely.
- `stories`: rewrites of one report grouped into a story.
- `reading`, `highlight`: an article with its hits, its text cut into highlighted mentions.

May import screening, the registry, the extraction core, the models and the shared modules;
never lists, review or the scan.
"""
