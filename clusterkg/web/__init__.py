"""The web face: the starlette app and its HTML pages (explorer, analyst page, health, index); the GraphQL API is clusterkg.graphql.

Explorer pages are clients of /graphql like any front-end; only the analyst
page has Cypher endpoints of its own. It imports graphql/ and the layers
below it, never cli/.
"""
