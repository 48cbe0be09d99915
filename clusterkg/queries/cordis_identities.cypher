// name: cordis_identities
// description: Nodes that may already be a CORDIS participant: by clusterkg id (an export's own column), by PIC, by VAT number, or by normalised name (name_key), each with its own PIC and country, so that a load never gives one node two PICs.
// label: label Organisation|Cluster
// param: ids list  node ids (the clusterkgId column of clusterkg's own export)
// param: pics list  PICs (CORDIS organisationID)
// param: vats list  VAT numbers, upper case, without punctuation
// param: keys list  normalised names (clusterkg.loaders.cordis.rows.name_key)
// mode: read
// example: {"ids": ["cordis-999000002"], "pics": ["999000001"], "vats": ["IT00000000001"], "keys": ["example public agency"]}
MATCH (n:__label__) WHERE n.id IN $ids
RETURN 'id' AS rule, n.id AS value, n.id AS id, n.pic AS pic, n.country AS country
UNION ALL
MATCH (n:__label__) WHERE n.pic IN $pics
RETURN 'pic' AS rule, n.pic AS value, n.id AS id, n.pic AS pic, n.country AS country
UNION ALL
MATCH (n:__label__) WHERE n.vat IN $vats
RETURN 'vat' AS rule, n.vat AS value, n.id AS id, n.pic AS pic, n.country AS country
UNION ALL
MATCH (n:__label__) WHERE n.name_key IN $keys
RETURN 'name' AS rule, n.name_key AS value, n.id AS id, n.pic AS pic, n.country AS country
