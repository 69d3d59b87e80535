"""Read queries over a `graph.store.GraphReader`: pure functions that build the API's answers.

- `structure`: a unit, its children, subtree, ancestors, the structure on a date, search;
- `path`: the structural path between two units;
- `records`: events, documents, people and their posts;
- `stats`: counts and headcount on a date;
- `history`: a unit's history and the diff between two dates;
- `lineage`: what merged into a unit and what it became;
- `search`: the text-search index and its ranking rules;
- `answers`: the shapes of a unit, an event and a headcount in every answer.
"""
