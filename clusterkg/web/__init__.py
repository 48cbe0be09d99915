"""The web face: the starlette app and its HTML pages (analyst page, health, index); the GraphQL API is clusterkg.graphql."""
