"""The public GraphQL API: strawberry types, resolvers, DataLoaders, limits, error codes and the ASGI view.

Resolvers stay thin: they read the graph through clusterkg.queries and ask
scoring/, the job packages and runner/ for everything they decide. It imports
every layer below it, never web/ or cli/.
"""
