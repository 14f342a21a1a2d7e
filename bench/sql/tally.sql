-- Database floor of tally (bench/queries/tally.graphql): the same values in
-- one statement. -D vote=<row id of the vote> (bench/run: vote 1, the open
-- vote with the largest register). The vote's row id (the service answers
-- its global ID), title, status, and its tally, every VoteTally field:
-- - closed (a vote_result row): the stored result, isFinal true;
-- - open: the live tally, isFinal false: the register's totals (the vote's
--   total_area_centi, total_heads) and the standing ballots (those no later
--   ballot supersedes, the condition STANDS of assembly::standing_totals)
--   with their owners' areas (vote_voter.area_centi) summed by choice, as
--   assembly::tally_of_totals adds them up; the rule of the matter (items
--   6-8 of art. 278: THREE_QUARTERS, else MORE_THAN_HALF); quorumMet (heads
--   on the register > 0, at least 2/3 of the area and of the heads took
--   part) and adopted (quorum, someone took part, and more than 1/2, or at
--   least 3/4, of the participating area and heads agree), in exact integer
--   arithmetic as domain::decisions::tally.
-- Areas are returned as the Area scalar writes them: "<m2>.<hundredths>".
WITH v AS (
  SELECT id, title, status, matter, total_area_centi, total_heads FROM assembly_vote WHERE id = :vote),
s AS (
  SELECT b.choice, COUNT(*) AS heads, CAST(SUM(vv.area_centi) AS BIGINT) AS area
  FROM ballot b JOIN vote_voter vv ON vv.id = b.voter_id
  WHERE b.vote_id = :vote
    AND NOT EXISTS (SELECT 1 FROM ballot later WHERE later.supersedes_id = b.id)
  GROUP BY b.choice),
w AS (
  SELECT v.id AS vote_id, v.total_area_centi AS total_area, CAST(v.total_heads AS BIGINT) AS total_heads,
         CAST(COALESCE(SUM(s.area), 0) AS BIGINT) AS part_area,
         CAST(COALESCE(SUM(s.heads), 0) AS BIGINT) AS part_heads,
         CAST(COALESCE(SUM(s.area) FILTER (WHERE s.choice = 'AGREE'), 0) AS BIGINT) AS agree_area,
         CAST(COALESCE(SUM(s.heads) FILTER (WHERE s.choice = 'AGREE'), 0) AS BIGINT) AS agree_heads,
         CAST(COALESCE(SUM(s.area) FILTER (WHERE s.choice = 'DISAGREE'), 0) AS BIGINT) AS disagree_area,
         CAST(COALESCE(SUM(s.heads) FILTER (WHERE s.choice = 'DISAGREE'), 0) AS BIGINT) AS disagree_heads,
         CAST(COALESCE(SUM(s.area) FILTER (WHERE s.choice = 'ABSTAIN'), 0) AS BIGINT) AS abstain_area,
         CAST(COALESCE(SUM(s.heads) FILTER (WHERE s.choice = 'ABSTAIN'), 0) AS BIGINT) AS abstain_heads,
         CASE WHEN v.matter IN ('MAINTENANCE_FUND_RAISING', 'REBUILDING', 'COMMON_PARTS_USE')
              THEN 'THREE_QUARTERS' ELSE 'MORE_THAN_HALF' END AS rule
  FROM v LEFT JOIN s ON true
  GROUP BY v.id, v.total_area_centi, v.total_heads, v.matter),
live AS (
  SELECT w.*,
         w.total_heads > 0 AND w.part_area * 3 >= w.total_area * 2 AND w.part_heads * 3 >= w.total_heads * 2 AS quorum_met
  FROM w),
t AS (
  SELECT r.vote_id, true AS is_final, r.total_area_centi AS total_area, CAST(r.total_heads AS BIGINT) AS total_heads,
         r.participating_area_centi AS part_area, CAST(r.participating_heads AS BIGINT) AS part_heads,
         r.agree_area_centi AS agree_area, CAST(r.agree_heads AS BIGINT) AS agree_heads,
         r.disagree_area_centi AS disagree_area, CAST(r.disagree_heads AS BIGINT) AS disagree_heads,
         r.abstain_area_centi AS abstain_area, CAST(r.abstain_heads AS BIGINT) AS abstain_heads,
         r.quorum_met, CAST(r.rule AS TEXT) AS rule, r.adopted
  FROM vote_result r WHERE r.vote_id = :vote
  UNION ALL
  SELECT l.vote_id, false, l.total_area, l.total_heads, l.part_area, l.part_heads, l.agree_area, l.agree_heads,
         l.disagree_area, l.disagree_heads, l.abstain_area, l.abstain_heads, l.quorum_met, l.rule,
         l.quorum_met AND l.part_heads > 0
           AND CASE WHEN l.rule = 'THREE_QUARTERS'
                    THEN l.agree_area * 4 >= l.part_area * 3 AND l.agree_heads * 4 >= l.part_heads * 3
                    ELSE l.agree_area * 2 > l.part_area AND l.agree_heads * 2 > l.part_heads END
  FROM live l
  WHERE NOT EXISTS (SELECT 1 FROM vote_result r WHERE r.vote_id = :vote))
SELECT v.id, v.title, v.status, t.is_final,
       (t.total_area / 100) || '.' || lpad(CAST(t.total_area % 100 AS TEXT), 2, '0') AS total_area,
       t.total_heads,
       (t.part_area / 100) || '.' || lpad(CAST(t.part_area % 100 AS TEXT), 2, '0') AS participating_area,
       t.part_heads AS participating_heads,
       (t.agree_area / 100) || '.' || lpad(CAST(t.agree_area % 100 AS TEXT), 2, '0') AS agree_area,
       t.agree_heads,
       (t.disagree_area / 100) || '.' || lpad(CAST(t.disagree_area % 100 AS TEXT), 2, '0') AS disagree_area,
       t.disagree_heads,
       (t.abstain_area / 100) || '.' || lpad(CAST(t.abstain_area % 100 AS TEXT), 2, '0') AS abstain_area,
       t.abstain_heads,
       t.quorum_met, t.rule, t.adopted
FROM v JOIN t ON t.vote_id = v.id;
