# The rows of the service's projects response, for comparing with
# PostGraphile's (projects.postgraphile.jq): no instants, which the two
# print with different precision.
def rid: if . == null then null else gsub("-"; "+") | gsub("_"; "/") | . + ("=" * ((4 - length % 4) % 4)) | @base64d | split(":")[1] end;
[.data.projects.edges[].node | {
  project: (.id | rid), status, compound: .compound.name, proposer: .origin.proposer.name,
  supporters: [.origin.supporters[].name], matter: .origin.deliberatedIn.title,
  decision: .origin.decision.toStatus, delivered: (.origin.delivery != null),
  budget: .origin.budgetFen, spent: .origin.spentFen,
  ratings: .origin.rating.count, stars: .origin.rating.starsTotal,
  accepted: (.origin.acceptance != null)
}]
