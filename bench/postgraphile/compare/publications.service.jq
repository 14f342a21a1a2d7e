# The row ids of the service's publications response (see publications.postgraphile.jq).
def rid: if . == null then null else gsub("-"; "+") | gsub("_"; "/") | . + ("=" * ((4 - length % 4) % 4)) | @base64d | split(":")[1] end;
.data.node | {
  compound: (.id | rid), council: (.residentsCouncil.id | rid),
  publications: [.publications.edges[].node | [(.id | rid), .publishedBy]]
}
