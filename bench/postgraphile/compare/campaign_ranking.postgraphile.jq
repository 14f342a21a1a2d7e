# The ranking of PostGraphile's campaign_ranking response, in the shape of campaign_ranking.service.jq.
[.data.evaluationCampaignById.campaignResultsByCampaignId.nodes[]
  | [.rank, .scoreCenti, .selected, .campaignEntryByEntryId.compoundByCompoundId.name]]
