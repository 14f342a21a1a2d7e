-- Database floor of campaign_ranking (bench/queries/campaign_ranking.graphql): the
-- same rows in one statement. -D campaign=<row id of the campaign> (bench/run: the
-- published campaign it reads). The campaign's name, phase, year, quota, single_out
-- and aggregation, and its first 20 frozen results in ranking order (the ranked by
-- rank, then the unscored by id, as campaigns::results), each with rank,
-- score_centi, lowest and highest totals, counted, sheets, selected and singled_out,
-- its entry's route and its compound's name.
SELECT c.name, c.phase, c.year, c.quota, c.single_out, c.aggregation,
  (SELECT COALESCE(json_agg(json_build_object(
            'rank', x.rank, 'scoreCenti', x.score_centi, 'lowestTotal', x.lowest_total,
            'highestTotal', x.highest_total, 'counted', x.counted, 'sheets', x.sheets,
            'selected', x.selected, 'singledOut', x.singled_out,
            'route', x.route, 'compound', x.compound_name)
          ORDER BY x.unranked, x.rank, x.id), '[]')
   FROM (SELECT r.id, r.rank, r.rank IS NULL AS unranked, r.score_centi, r.lowest_total,
                r.highest_total, r.counted, r.sheets, r.selected, r.singled_out, e.route,
                co.name AS compound_name
         FROM campaign_result r
         JOIN campaign_entry e ON e.id = r.entry_id
         LEFT JOIN compound co ON co.id = e.compound_id
         WHERE r.campaign_id = c.id
         ORDER BY r.rank IS NULL, r.rank, r.id
         LIMIT 20) x) AS ranking
FROM evaluation_campaign c
WHERE c.id = :campaign;
