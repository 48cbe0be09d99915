// name: stage_offerers
// description: For each stage of the given value chains, the first clusters (by id) of the given countries offering a competence at it.
// param: chains list  value chain ids
// param: countries list  country codes
// param: per_stage integer  clusters per stage at most
// mode: read
// example: {"chains": ["vc-hydrogen", "vc-batteries", "vc-medical-devices"], "countries": ["AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "EL", "ES", "FI", "FR", "HR", "HU", "IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK"], "per_stage": 3}
UNWIND $chains AS chain
MATCH (v:ValueChain {id: chain})<-[s:IN_STAGE]-(:Competence)<-[:OFFERS]-(k:Cluster)
WHERE k.country IN $countries
WITH v.id AS chain, s.stage_index AS stage, k ORDER BY k.id
WITH chain, stage, collect(DISTINCT k.id) AS ids
RETURN chain, stage, ids[..$per_stage] AS ids
