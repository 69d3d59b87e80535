"""The embedded backend: SQLite as the durable record, an in-memory index answering queries.

- `store`: `EmbeddedStore`, the `graph.store.GraphStore` on one SQLite file;
- `column_cache`: the column-wise copy of the stored rows that makes opening fast;
- `lazy_tables`: tables read from the store on first use;
- `gc_pause`: pausing the garbage collector while millions of records are built;
- `memory`: `MemoryGraph`, a `GraphReader` over one dataset held in memory;
- `memory_index`: `StructureIndex`, the memory graph's index of the tree as day numbers.
"""

from graph.embedded.store import DEFAULT_STORE, EmbeddedStore, default_store_path

__all__ = ["DEFAULT_STORE", "EmbeddedStore", "default_store_path"]
