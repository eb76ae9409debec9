"""The registry: what is known of each listed person, organisation, vessel and aircraft.

- `entities`: an entity loaded with everything known about it, or its card.
- `search`: registry search as an analyst expects it (the matcher's names, identifiers,
  filters).
- `parties`: one party, several listings: links between the entities of different lists.
- `qualifiers`: a birth date or a country as a lookup or a search gives it.
- `answers`: an entity's full record, as the API and `entities show --json` give it.

May import the models, the matching core, the list readers' value rules
(`watchlist.sources.values`) and the shared modules at the top of `watchlist`; nothing else of
the service (every other domain builds on this one).
"""
