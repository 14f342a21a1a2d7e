#!/usr/bin/env python3
"""The live tally of a large owners' vote, timed (issue 8: "the tally of a
5,000-owner vote answered in under 20 ms").

    bench/tally_large.py URL VOTE_ID [--turnout 1.0] [--rounds 1] [--requests 50]

URL is a running compound-api (start it with READ_CACHE_MB=0, so every
tally is computed), VOTE_ID the global ID of an open vote. As the demo's
admin it records a paper ballot for the first `turnout` share of the
vote's register (agree, agree, disagree, abstain in turn; run again, it
changes them, and the last ballot stands), through `recordPaperBallot`
like a committee would, `rounds` times over (each round changes every
one of those ballots, so `--rounds 700` gives the long ballot histories
that once slowed the tally), then asks the
vote's tally `requests` times, one after the other, and prints the
participating heads and the minimum, median and maximum time in ms.
Standard library only.
"""

import argparse
import json
import statistics
import time
import urllib.request

PASSWORD = "demo-password-2026"
CHOICES = ["AGREE", "AGREE", "DISAGREE", "ABSTAIN"]
TALLY = """query($id: ID!) { node(id: $id) { ... on AssemblyVote { tally {
  totalHeads totalArea participatingHeads participatingArea agreeHeads agreeArea
  disagreeHeads abstainHeads quorumMet adopted } } } }"""


def post(url, query, variables, token=None):
    body = json.dumps({"query": query, "variables": variables}).encode()
    req = urllib.request.Request(url, body, {"content-type": "application/json"})
    if token:
        req.add_header("authorization", f"Bearer {token}")
    with urllib.request.urlopen(req, timeout=60) as resp:
        out = json.load(resp)
    if out.get("errors"):
        raise SystemExit(f"errors: {out['errors']}")
    return out["data"]


def register(url, token, vote):
    """The IDs of the vote's counted owners, in register order."""
    q = """query($id: ID!, $after: String) { node(id: $id) { ... on AssemblyVote {
      register(first: 100, after: $after) { edges { node { id } }
        pageInfo { hasNextPage endCursor } } } } }"""
    after, out = None, []
    while True:
        page = post(url, q, {"id": vote, "after": after}, token)["node"]["register"]
        out += [e["node"]["id"] for e in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            return out
        after = page["pageInfo"]["endCursor"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("url")
    ap.add_argument("vote")
    ap.add_argument("--turnout", type=float, default=1.0)
    ap.add_argument("--rounds", type=int, default=1)
    ap.add_argument("--requests", type=int, default=50)
    a = ap.parse_args()
    url = a.url.rstrip("/") + "/graphql"
    login = "mutation($input: LoginInput!) { login(input: $input) { token } }"
    token = post(url, login, {"input": {"username": "admin", "password": PASSWORD}})["login"]["token"]
    voters = register(url, token, a.vote)
    wanted = int(len(voters) * a.turnout)
    cast = 0
    record = """mutation($input: RecordPaperBallotInput!) { recordPaperBallot(input: $input) {
      userErrors { message } } }"""
    for r in range(a.rounds):
        for i, voter in enumerate(voters[:wanted]):
            choice = CHOICES[(i + r) % len(CHOICES)]
            data = post(url, record, {"input": {"voteId": a.vote, "voterId": voter,
                                                "choice": choice}}, token)
            if data["recordPaperBallot"]["userErrors"]:
                raise SystemExit(f"ballot refused: {data}")
            cast += 1
    times, tally = [], None
    for _ in range(a.requests):
        start = time.perf_counter()
        tally = post(url, TALLY, {"id": a.vote})["node"]["tally"]
        times.append((time.perf_counter() - start) * 1000)
    print(f"register {len(voters)} owners, {cast} paper ballots recorded now, "
          f"participating heads {tally['participatingHeads']}")
    print(f"tally over {a.requests} requests: min {min(times):.2f} ms, "
          f"p50 {statistics.median(times):.2f} ms, max {max(times):.2f} ms")


if __name__ == "__main__":
    main()
