-- Database floor of evaluator_sheet (bench/queries/evaluator_sheet.graphql): the same
-- rows in one statement. -D sheet=<row id of the score sheet> (bench/run: the first
-- sheet of evaluator-0-0). The sheet's number, status, total and submission time, its
-- entry's compound and campaign (name, phase), and its lines in the rubric's order
-- (aspect, then indicator position), each with points, comment, the indicator's title
-- and maximum and its aspect's title. (The service also decides that the caller may
-- read the sheet; the floor does not.)
SELECT s.number, s.status, s.total, s.submitted_at, co.name AS compound,
  c.name AS campaign, c.phase,
  (SELECT json_agg(json_build_object(
            'points', l.points, 'comment', l.comment, 'indicator', i.title,
            'maxScore', i.max_score, 'aspect', a.title)
          ORDER BY a.position, i.position, l.id)
   FROM score_line l
   JOIN rubric_indicator i ON i.id = l.indicator_id
   JOIN rubric_aspect a ON a.id = i.aspect_id
   WHERE l.sheet_id = s.id) AS lines
FROM score_sheet s
JOIN campaign_entry e ON e.id = s.entry_id
LEFT JOIN compound co ON co.id = e.compound_id
JOIN evaluation_campaign c ON c.id = s.campaign_id
WHERE s.id = :sheet;
