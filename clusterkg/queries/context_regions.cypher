// name: context_regions
// description: Every region with its country, level, cohesion category and the NUTS 2021 codes it replaced (what loaders check NUTS codes against).
// mode: read
MATCH (r:Region)
RETURN r.nuts AS nuts, r.country AS country, r.level AS level, r.category AS category, r.aliases AS aliases
