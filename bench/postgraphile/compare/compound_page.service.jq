# The row ids of the service's compound_page response, for comparing with
# PostGraphile's (compound_page.postgraphile.jq).
def rid: if . == null then null else gsub("-"; "+") | gsub("_"; "/") | . + ("=" * ((4 - length % 4) % 4)) | @base64d | split(":")[1] end;
[.data.compounds.edges[].node | {
  compound: (.id | rid),
  branch: (.partyBranch.id | rid), secretary: (.partyBranch.secretary.id | rid),
  secretary_person: (.partyBranch.secretary.person.id | rid),
  committee: (.ownersCommittee.id | rid), chair: (.ownersCommittee.chair.id | rid),
  chair_person: (.ownersCommittee.chair.person.id | rid),
  company: (.propertyCompany.id | rid), red: .propertyCompany.isRed,
  buildings: [.buildings.edges[].node | [(.id | rid), (.grid.id | rid)]],
  chiefs: [.chiefs.edges[].node | [(.id | rid), (.holder.id | rid)]]
}]
