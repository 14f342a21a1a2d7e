# The row ids of PostGraphile's compound_page response, in the shape of
# compound_page.service.jq.
[.data.allCompounds.nodes[] | {
  compound: .id,
  branch: .partyBranchesByCompoundId.nodes[0].id,
  secretary: .partyBranchesByCompoundId.nodes[0].partyBranchMembersByBranchId.nodes[0].id,
  secretary_person: .partyBranchesByCompoundId.nodes[0].partyBranchMembersByBranchId.nodes[0].personByPersonId.id,
  committee: .ownersCommitteesByCompoundId.nodes[0].id,
  chair: .ownersCommitteesByCompoundId.nodes[0].committeeMembersByCommitteeId.nodes[0].id,
  chair_person: .ownersCommitteesByCompoundId.nodes[0].committeeMembersByCommitteeId.nodes[0].personByPersonId.id,
  company: .propertyContractsByCompoundId.nodes[0].propertyCompanyByCompanyId.id,
  red: (.propertyContractsByCompoundId.nodes[0].propertyCompanyByCompanyId
        | if . == null then null else (.companyPartyOrgsByCompanyId.nodes | length > 0) end),
  buildings: [.buildingsByCompoundId.nodes[] | [.id, .gridByGridId.id]],
  chiefs: [.chiefAppointmentsByCompoundId.nodes[] | [.id, .personByPersonId.id]]
}]
