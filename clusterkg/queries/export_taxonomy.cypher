// name: export_taxonomy
// description: Value chains and the competences loaded through files (not the reference KETs and emerging industries, nor custom terms), in their file formats, for `clusterkg export`.
// mode: read
MATCH (v:ValueChain)
OPTIONAL MATCH (v)-[:PART_OF]->(e:Ecosystem)
RETURN 'value-chains' AS kind, v.id AS id, v.name AS name, e.id AS ecosystem, v.stages AS stages, null AS competence_kind,
       null AS broader, null AS value_chain, null AS stage, null AS aliases, v.synthetic AS synthetic, v.source AS source
UNION ALL
MATCH (k:Competence)
WHERE NOT k.scheme IN ['emerging-industries-2019', 'ket-2009', 'custom']
OPTIONAL MATCH (k)-[:BROADER]->(b:Competence)
OPTIONAL MATCH (k)-[s:IN_STAGE]->(v:ValueChain)
RETURN 'competences' AS kind, k.id AS id, k.name AS name, null AS ecosystem, null AS stages, k.kind AS competence_kind,
       b.id AS broader, v.id AS value_chain, s.stage AS stage, k.aliases AS aliases, k.synthetic AS synthetic, k.source AS source
