"""The Neo4j backend: `Neo4jStore`, a `graph.store.GraphStore` through the official driver."""
