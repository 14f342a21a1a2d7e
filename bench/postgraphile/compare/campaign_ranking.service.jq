# The ranking of the service's campaign_ranking response (see campaign_ranking.postgraphile.jq).
[.data.node.ranking.edges[].node | [.rank, .scoreCenti, .selected, .entry.compound.name]]
