-- Database floor of node (bench/queries/node.graphql): the same row in one
-- statement. -D compound=<row id of the compound> (bench/run: the compound
-- of the read's id). One compound by id: its row id (the service answers
-- its global ID), name, kind and address.
SELECT c.id, c.name, c.kind, c.address
FROM compound c
WHERE c.id = :compound;
