-- Database floor of the compound page: the same rows in one statement
-- (20 compounds, each with its branch secretary, committee chair, company
-- of the active contract, 10 buildings with grid, 10 chiefs serving today
-- with holder), as JSON per compound.
SELECT c.id, c.name, c.kind, c.address,
       pb.id AS branch_id, pb.name AS branch_name, sec.id AS secretary_id, sec.name AS secretary_name, sec.phone AS secretary_phone,
       oc.id AS committee_id, oc.name AS committee_name, chair.id AS chair_id, chair.name AS chair_name, chair.phone AS chair_phone,
       pc.id AS company_id, pc.name AS company_name, pc.phone AS company_phone, pc.star_rating,
       b.buildings, ch.chiefs
FROM compound c
LEFT JOIN party_branch pb ON pb.compound_id = c.id AND pb.dissolved_on IS NULL
LEFT JOIN LATERAL (
  SELECT p.id, p.name, p.phone FROM party_branch_member m JOIN person p ON p.id = m.person_id
  WHERE m.branch_id = pb.id AND m.role = 'SECRETARY' AND m.starts_on <= current_date
    AND (m.ends_on IS NULL OR m.ends_on >= current_date) LIMIT 1) sec ON true
LEFT JOIN owners_committee oc ON oc.compound_id = c.id AND oc.dissolved_on IS NULL
  AND oc.term_starts_on <= current_date AND oc.term_ends_on >= current_date
LEFT JOIN LATERAL (
  SELECT p.id, p.name, p.phone FROM committee_member m JOIN person p ON p.id = m.person_id
  WHERE m.committee_id = oc.id AND m.role = 'CHAIR' AND m.starts_on <= current_date
    AND (m.ends_on IS NULL OR m.ends_on >= current_date) LIMIT 1) chair ON true
LEFT JOIN property_contract k ON k.compound_id = c.id AND k.status = 'ACTIVE'
LEFT JOIN property_company pc ON pc.id = k.company_id
LEFT JOIN LATERAL (
  SELECT json_agg(json_build_object('id', x.id, 'name', x.name, 'kind', x.kind, 'floors', x.floors,
                                    'grid', json_build_object('id', x.gid, 'name', x.gname, 'code', x.gcode))) AS buildings
  FROM (SELECT bd.id, bd.name, bd.kind, bd.floors, g.id AS gid, g.name AS gname, g.code AS gcode
        FROM building bd LEFT JOIN grid g ON g.id = bd.grid_id
        WHERE bd.compound_id = c.id ORDER BY bd.id LIMIT 10) x) b ON true
LEFT JOIN LATERAL (
  SELECT json_agg(json_build_object('id', y.id, 'level', y.level, 'contactPhone', y.contact_phone,
                                    'holder', json_build_object('id', y.pid, 'name', y.pname, 'phone', y.pphone))) AS chiefs
  FROM (SELECT a.id, a.level, a.contact_phone, p.id AS pid, p.name AS pname, p.phone AS pphone
        FROM chief_appointment a JOIN person p ON p.id = a.person_id
        WHERE a.compound_id = c.id AND a.starts_on <= current_date
          AND (a.ends_on IS NULL OR a.ends_on >= current_date)
        ORDER BY a.id LIMIT 10) y) ch ON true
ORDER BY c.id
LIMIT 20;
