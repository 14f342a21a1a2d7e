# PostGraphile 4 beside the service in bench/run's postgres backend (issue 8).
# Sourced by bench/run, never run alone: it uses bench/run's ROOT, WORK, PGDB,
# PIDS, FAILED, RESULTS, CONNS, THREADS, TIMEOUT, WARMUP, DURATION and its
# functions body, wrk_run and field.
#
# pg_graphile_install            npm ci into bench/postgraphile/ when needed
# pg_graphile_bench COMPOUND_ID COMMUNITY_ROW
#                                start it over database $PGDB, check one response
#                                per read in bench/postgraphile/queries/, compare
#                                its rows with the service's, wrk each read
#                                (warm-up + measured round), stop it; the
#                                projects read is of community row COMMUNITY_ROW
#                                (skipped when it is empty)
# pg_graphile_table              the comparison table (after bench/run's own)
#
# Env: BENCH_PG_PORT (default 18100), BENCH_PG_WORKERS (PostGraphile's
# --cluster-workers; default 1, a single Node process).

PG_DIR=$ROOT/bench/postgraphile
PG_PORT=${BENCH_PG_PORT:-18100}
PG_WORKERS=${BENCH_PG_WORKERS:-1}
PG_RESULTS=$WORK/postgraphile.tsv

# Node.js and npm from the machine (Debian's packages if missing), then the
# locked PostGraphile 4 from package-lock.json; skipped when node_modules
# already holds exactly that lock.
pg_graphile_install() {
  if ! command -v npm >/dev/null; then
    echo "installing nodejs and npm" >&2
    (apt-get install -y nodejs npm || (apt-get update && apt-get install -y nodejs npm)) >/dev/null
  fi
  if [[ -x $PG_DIR/node_modules/.bin/postgraphile ]] \
    && cmp -s <(jq -S '.packages | del(."")' "$PG_DIR/package-lock.json") \
      <(jq -S .packages "$PG_DIR/node_modules/.package-lock.json" 2>/dev/null); then
    return 0
  fi
  echo "installing PostGraphile 4 (npm ci in bench/postgraphile)" >&2
  (cd "$PG_DIR" && npm ci --no-audit --no-fund --loglevel=error) >&2
}

# pg_post BODYFILE -> response on stdout (no token: PostGraphile refuses a
# bearer token when it has no JWT secret).
pg_post() { curl -s "http://127.0.0.1:$PG_PORT/graphql" -H 'content-type: application/json' --data-binary @"$1"; }

# The service's global ID is base64url("Compound:<row id>"): the row id.
pg_row_id() {
  local s=${1//-/+}
  s=${s//_//}
  while (( ${#s} % 4 )); do s+='='; done
  base64 -d <<<"$s" | cut -d: -f2
}

pg_graphile_bench() {
  local cid=$1 community=${2:-} campaign_row=${3:-} rowid pid
  rowid=$(pg_row_id "$cid")
  # Run from bench/postgraphile so that the CLI loads postgraphile.tags.json5
  # from its working directory; exec, so that $! is PostGraphile itself.
  (cd "$PG_DIR" && exec node_modules/.bin/postgraphile \
    -c "postgres://postgres@127.0.0.1:5432/$PGDB" -s public \
    --host 127.0.0.1 --port "$PG_PORT" --cluster-workers "$PG_WORKERS" \
    --disable-graphiql --disable-query-log) >"$WORK/postgraphile.log" 2>&1 &
  pid=$!; PIDS+=("$pid")
  body <(echo '{ __typename }') '{}' >"$WORK/pg-typename.req.json"
  local up=0
  for _ in $(seq 1 300); do
    pg_post "$WORK/pg-typename.req.json" 2>/dev/null | grep -q '"data"' && { up=1; break; }
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if [[ $up == 0 ]]; then
    echo "[postgraphile] did not start: $(tail -c 600 "$WORK/postgraphile.log")" >&2
    FAILED=1; return 0
  fi
  echo "[postgraphile] $(jq -r .version "$PG_DIR/node_modules/postgraphile/package.json") up on :$PG_PORT (compound row id $rowid)" >&2

  # PostGraphile's own global ID of that compound, for node.
  body <(echo 'query($id: BigInt!) { compoundById(id: $id) { nodeId } }') "{\"id\":\"$rowid\"}" >"$WORK/pg-nodeid.req.json"
  local nodeid
  nodeid=$(pg_post "$WORK/pg-nodeid.req.json" | jq -r '.data.compoundById.nodeId // empty')

  local q read v
  for q in "$PG_DIR"/queries/*.graphql; do
    read=$(basename "$q" .graphql)
    case $read in
      node) v="{\"id\":\"$nodeid\"}" ;;
      compound_page) v='{}' ;;
      projects)
        [[ -n $community ]] || continue
        v="{\"communityId\":\"$community\"}" ;;
      campaign_ranking)
        [[ -n $campaign_row ]] || continue
        v="{\"campaignId\":\"$campaign_row\"}" ;;
      *) v="{\"compoundId\":\"$rowid\"}" ;;
    esac
    body "$q" "$v" >"$WORK/pg-$read.req.json"
    pg_post "$WORK/pg-$read.req.json" >"$WORK/postgraphile-$read.resp.json"
    local bytes; bytes=$(wc -c <"$WORK/postgraphile-$read.resp.json")
    if grep -q '"errors"' "$WORK/postgraphile-$read.resp.json" || ! jq -e .data >/dev/null <"$WORK/postgraphile-$read.resp.json"; then
      echo "[postgraphile] $read: response has errors: $(head -c 400 "$WORK/postgraphile-$read.resp.json")" >&2
      FAILED=1; continue
    fi
    local rows; rows=$(pg_graphile_compare "$read")
    echo "[postgraphile] $read: $bytes bytes, rows $rows; wrk ${WARMUP}s + ${DURATION}s" >&2
    local r
    r=$(TOKEN='' wrk_run "http://127.0.0.1:$PG_PORT/graphql" "$WORK/pg-$read.req.json")
    [[ $(field failures "$r") == 0 ]] || FAILED=1
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$read" "$(field rps "$r")" "$(field p50_ms "$r")" "$(field p99_ms "$r")" \
      "$(field failures "$r")/$(field timeouts "$r")" "$bytes" "$rows" >>"$PG_RESULTS"
  done
  sed -n 's/VmHWM:\s*//p' /proc/"$pid"/status >"$WORK/postgraphile-hwm.txt" || true
  kill "$pid"; wait "$pid" 2>/dev/null || true
}

# pg_graphile_compare READ -> "same", "differ" (the diff is left in $WORK) or
# "-" (no service response): the row ids of both responses, extracted by
# bench/postgraphile/compare/READ.{service,postgraphile}.jq, or their whole
# `data` where a read has no such pair. A difference is reported, not failed.
pg_graphile_compare() {
  local read=$1 svc=$WORK/postgres-$1.resp.json pg=$WORK/postgraphile-$1.resp.json
  local sf=(-S .data) pf=(-S .data)
  [[ -s $svc ]] || { echo -; return 0; }
  if [[ -f $PG_DIR/compare/$read.service.jq && -f $PG_DIR/compare/$read.postgraphile.jq ]]; then
    sf=(-S -f "$PG_DIR/compare/$read.service.jq"); pf=(-S -f "$PG_DIR/compare/$read.postgraphile.jq")
  fi
  if diff <(jq "${sf[@]}" "$svc") <(jq "${pf[@]}" "$pg") >"$WORK/postgraphile-$read.rows.diff"; then
    echo same
  else
    echo "[postgraphile] $read: rows differ from the service's, see $WORK/postgraphile-$read.rows.diff" >&2
    echo differ
  fi
}

pg_graphile_table() {
  [[ -s $PG_RESULTS ]] || return 0
  echo
  echo "PostGraphile $(jq -r .version "$PG_DIR/node_modules/postgraphile/package.json") over the same database (no token, --cluster-workers $PG_WORKERS); rows: the same row ids as the service's response; service = the postgres row above:"
  printf '| %-13s | %12s | %8s | %8s | %9s | %8s | %6s | %13s | %12s |\n' read 'PG req/s' 'p50 ms' 'p99 ms' 'fail/t.o.' bytes \
    rows 'service req/s' 'service / PG'
  printf '|%s|\n' '---------------|--------------|----------|----------|-----------|----------|--------|---------------|--------------'
  local read rps p50 p99 fails bytes rows srps
  while IFS=$'\t' read -r read rps p50 p99 fails bytes rows; do
    srps=$(awk -F'\t' -v r="$read" '$1 == r && $2 == "postgres" { print $3 }' "$RESULTS")
    printf '| %-13s | %12s | %8s | %8s | %9s | %8s | %6s | %13s | %12s |\n' "$read" "$rps" "$p50" "$p99" "$fails" "$bytes" \
      "$rows" "${srps:--}" "$(awk -v a="${srps:-0}" -v b="$rps" 'BEGIN { if (a > 0 && b > 0) printf "%.3f", a / b; else print "-" }')"
  done <"$PG_RESULTS"
  [[ -s $WORK/postgraphile-hwm.txt ]] && echo "postgraphile: peak RSS (VmHWM, main process) $(cat "$WORK/postgraphile-hwm.txt")"
  return 0
}
