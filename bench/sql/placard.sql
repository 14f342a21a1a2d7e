-- Database floor of placard_1 and placard_50 (bench/queries/placard_1.graphql,
-- placard_50.graphql): the same rows in one statement. -D compound=<row id of
-- the compound> (bench/run: the compound of the read's compoundId) and
-- -D dwellings=<1 or 50>. Ids are row ids, not global IDs.
-- The placard in force today (the compound's latest posting dated on or
-- before today, domain::placards::in_force; "today" is the service's, China
-- Standard Time), its id, postedOn and chainOn (today: a placard in force
-- shows today's chain, placards::chain_day), its three persons in placard
-- order (compound's, community's, management's responsible person: name,
-- title, contactPhone), and the compound's first :dwellings dwellings by id
-- (through their buildings), each with its chain on chainOn (chiefs::responsible_chains and
-- chain_for): the appointments in force that day whose scope covers the
-- dwelling (the community for levels 1-2, the building's grid for grid chief
-- and grid workers, the compound for the market supervisor, the building's
-- alley in the compound for the alley chief, the building for building,
-- courtyard and shop chiefs, the building and a floor range holding the
-- dwelling's floor for floor chiefs), of the compound kind's chain variant,
-- nearest the household first (rank 5 to 1; the grid chief before the grid
-- workers; then by id), each as rank, holder's name and contact phone. No
-- row when the compound has no placard in force (the service answers null).
-- The scope columns are matched as chiefs::appoint writes them (a level's
-- scope kind fixes which of community/grid/compound/building are set), so
-- the service's candidate query and its per-dwelling filter are one
-- condition here.
WITH day AS (SELECT CAST(timezone('UTC', now()) + interval '8 hours' AS date) AS today),
pl AS (
  SELECT p.id, p.compound_id, p.posted_on, day.today
  FROM placard p CROSS JOIN day
  WHERE p.compound_id = :compound AND p.posted_on <= day.today
  ORDER BY p.posted_on DESC, p.id DESC
  LIMIT 1)
SELECT pl.id, pl.posted_on, pl.today AS chain_on,
  (SELECT COALESCE(json_agg(json_build_object('name', pp.name, 'title', pp.title, 'contactPhone', pp.contact_phone)
                   ORDER BY CASE pp.post WHEN 'COMPOUND_RESPONSIBLE' THEN 0 WHEN 'COMMUNITY_RESPONSIBLE' THEN 1 ELSE 2 END, pp.id), '[]')
   FROM placard_person pp WHERE pp.placard_id = pl.id) AS persons,
  (SELECT COALESCE(json_agg(json_build_object('dwelling', json_build_object('id', dw.id, 'number', dw.number),
                                     'chain', COALESCE(ch.chain, '[]')) ORDER BY dw.id), '[]')
   FROM (SELECT d.id, d.number, d.floor, b.id AS building_id, b.grid_id, b.alley, c.id AS compound_id,
                c.community_id, c.kind
         FROM dwelling d JOIN building b ON b.id = d.building_id JOIN compound c ON c.id = b.compound_id
         WHERE b.compound_id = pl.compound_id
         ORDER BY d.id
         LIMIT :dwellings) dw
   CROSS JOIN LATERAL (
     SELECT json_agg(json_build_object('rank', x.rank, 'name', x.name, 'contactPhone', x.contact_phone)
                     ORDER BY x.rank DESC, x.level = 'GRID_WORKER', x.id) AS chain
     FROM (SELECT a.id, a.level, a.contact_phone, per.name,
                  CASE a.level WHEN 'AREA_CHIEF' THEN 1 WHEN 'COMMUNITY_CHIEF' THEN 2
                               WHEN 'GRID_CHIEF' THEN 3 WHEN 'GRID_WORKER' THEN 3
                               WHEN 'BUILDING_CHIEF' THEN 4 WHEN 'ALLEY_CHIEF' THEN 4 WHEN 'MARKET_SUPERVISOR' THEN 4
                               ELSE 5 END AS rank
           FROM chief_appointment a LEFT JOIN person per ON per.id = a.person_id
           WHERE a.starts_on <= pl.today AND (a.ends_on IS NULL OR a.ends_on >= pl.today)
             AND (   (a.level IN ('AREA_CHIEF', 'COMMUNITY_CHIEF')
                      AND a.community_id = dw.community_id AND a.compound_id IS NULL AND a.grid_id IS NULL)
                  OR (a.level IN ('GRID_CHIEF', 'GRID_WORKER') AND a.grid_id = dw.grid_id)
                  OR (a.level = 'MARKET_SUPERVISOR' AND dw.kind = 'COMMERCIAL_STREET'
                      AND a.compound_id = dw.compound_id AND a.building_id IS NULL)
                  OR (a.level = 'ALLEY_CHIEF' AND dw.kind = 'BUNGALOW_AREA'
                      AND a.compound_id = dw.compound_id AND a.building_id IS NULL AND a.scope_label = dw.alley)
                  OR (a.level = 'COURTYARD_CHIEF' AND dw.kind = 'BUNGALOW_AREA' AND a.building_id = dw.building_id)
                  OR (a.level = 'SHOP_CHIEF' AND dw.kind = 'COMMERCIAL_STREET' AND a.building_id = dw.building_id)
                  OR (a.level = 'BUILDING_CHIEF' AND dw.kind NOT IN ('BUNGALOW_AREA', 'COMMERCIAL_STREET')
                      AND a.building_id = dw.building_id)
                  OR (a.level = 'FLOOR_CHIEF' AND dw.kind NOT IN ('BUNGALOW_AREA', 'COMMERCIAL_STREET')
                      AND a.building_id = dw.building_id AND dw.floor BETWEEN a.floor_from AND a.floor_to))) x) ch
  ) AS dwellings
FROM pl;
