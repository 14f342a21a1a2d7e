# The rows of PostGraphile's projects response, in the shape of
# projects.service.jq: the budget in force, what was spent and the ratings
# summed here as the service sums them.
[.data.allProjects.nodes[] | {
  project: .id, status, compound: .compoundByCompoundId.name, proposer: .personByProposedByPersonId.name,
  supporters: [.projectSupportsByProjectId.nodes[].personByPersonId.name],
  matter: .councilMatterByCouncilMatterId.title,
  decision: ((.approval.nodes + .rejection.nodes) | sort_by(.recordedAt) | last | .toStatus?),
  delivered: (.delivery.nodes | length > 0),
  budget: (.projectBudgetsByProjectId.nodes[0].amountFen | if . == null then null else tonumber end),
  spent: ([.projectSpendingsByProjectId.nodes[].amountFen | tonumber] | add // 0),
  ratings: (.projectRatingsByProjectId.nodes | length),
  stars: ([.projectRatingsByProjectId.nodes[].stars] | add // 0),
  accepted: (.acceptance.nodes | length > 0)
}]
