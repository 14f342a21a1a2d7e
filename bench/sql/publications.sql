-- Database floor of publications (bench/queries/publications.graphql): the
-- same rows in one statement. -D compound=<row id of the compound>
-- (bench/run: the compound of the read's compoundId). Ids are row ids, not
-- global IDs. The compound's id and name, its residents' council (id, name,
-- publicityDays; the first by id, null when none is set up) and its 20
-- newest publications (by id, newest first, as paginate_newest_first), each
-- with kind, title, body, publishedOn, publicityEndsOn, openForObjections
-- (publishedOn <= today <= publicityEndsOn, today on the service's clock,
-- China Standard Time) and publishedBy (the publishing account's display
-- name).
WITH day AS (SELECT CAST(timezone('UTC', now()) + interval '8 hours' AS date) AS today)
SELECT c.id, c.name,
  (SELECT json_build_object('id', rc.id, 'name', rc.name, 'publicityDays', rc.publicity_days)
   FROM residents_council rc WHERE rc.compound_id = c.id ORDER BY rc.id LIMIT 1) AS residents_council,
  (SELECT COALESCE(json_agg(json_build_object(
            'id', x.id, 'kind', x.kind, 'title', x.title, 'body', x.body,
            'publishedOn', x.published_on, 'publicityEndsOn', x.publicity_ends_on,
            'openForObjections', x.published_on <= day.today AND day.today <= x.publicity_ends_on,
            'publishedBy', x.display_name) ORDER BY x.id DESC), '[]')
   FROM (SELECT p.id, p.kind, p.title, p.body, p.published_on, p.publicity_ends_on, a.display_name
         FROM publication p LEFT JOIN account a ON a.id = p.published_by
         WHERE p.compound_id = c.id
         ORDER BY p.id DESC
         LIMIT 20) x) AS publications
FROM compound c CROSS JOIN day
WHERE c.id = :compound;
