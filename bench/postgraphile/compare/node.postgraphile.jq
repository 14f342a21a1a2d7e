# The compound of PostGraphile's node response; its nodeId is base64 of
# ["compounds", <row id>].
.data.node | {compound: (.nodeId | @base64d | fromjson | .[1] | tostring), name, kind, address}
