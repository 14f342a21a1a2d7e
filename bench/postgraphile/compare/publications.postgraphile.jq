# The row ids of PostGraphile's publications response, in the shape of publications.service.jq.
.data.compoundById | {
  compound: .id, council: .residentsCouncilByCompoundId.id,
  publications: [.publicationsByCompoundId.nodes[] | [.id, .accountByPublishedBy.username]]
}
