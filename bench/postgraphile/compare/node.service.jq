# The compound of the service's node response (see node.postgraphile.jq).
def rid: if . == null then null else gsub("-"; "+") | gsub("_"; "/") | . + ("=" * ((4 - length % 4) % 4)) | @base64d | split(":")[1] end;
.data.node | {compound: (.id | rid), name, kind, address}
