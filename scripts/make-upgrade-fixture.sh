#!/usr/bin/env bash
# Makes test/data/upgrade/<release>.sql.gz for test/upgrade.test.ts: a database made by a landed release (the
# demo town and a short demo year, loaded by THAT release's code on PostgreSQL), dumped as plain SQL that both
# engines can execute (INSERTs instead of COPY, no owners or grants, no psql meta-commands).
#
#   scripts/make-upgrade-fixture.sh c1dc3ee        # needs git, psql, pg_dump and a PostgreSQL server
#
# The release's tree is exported with `git archive` (no worktree, nothing in .git changes) into a temporary
# folder that borrows this checkout's node_modules; the temporary database and folder are removed at the end.
# The PII key is a fixed, public fixture key (FIXTURE_KEY below, repeated in the test): the numbers in the dump
# are the demo town's invented ones.
set -euo pipefail

release="${1:-c1dc3ee}"
matters="${2:-120}"
server="${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
FIXTURE_KEY='ZHVhbGdyaWQtdXBncmFkZS1maXh0dXJlLWtleS0wMDE='   # base64 of "dualgrid-upgrade-fixture-key-001"

root="$(cd "$(dirname "$0")/.." && pwd)"
out="$root/test/data/upgrade/$release.sql.gz"
work="$(mktemp -d /tmp/dualgrid-release-XXXXXX)"
db="dualgrid_fixture_${release}_$$"
url="$(node -e 'const u = new URL(process.argv[1]); u.pathname = "/" + process.argv[2]; console.log(u.toString())' "$server" "$db")"

cleanup() {
  psql "$server" -qc "drop database if exists $db with (force)" >/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

git -C "$root" archive "$release" | tar -x -C "$work"
ln -s "$root/node_modules" "$work/node_modules"
psql "$server" -qc "create database $db"

# The release's own CLI: migrations of that release, the demo town, then a few months of matters at every stage.
(cd "$work" && DATABASE_URL="$url" DUALGRID_PII_KEY="$FIXTURE_KEY" DUALGRID_DATA_DIR="$work/data" \
  npx tsx src/main.ts demo --matters "$matters" > "$work/demo.log")

mkdir -p "$(dirname "$out")"
# pg_dump ≥ 15.14 wraps plain output in \restrict … \unrestrict (psql meta-commands): drop them, PGlite runs SQL only.
pg_dump --dbname="$url" --format=plain --inserts --rows-per-insert=200 --no-owner --no-privileges --no-comments \
  | grep -v '^\\\(un\)\?restrict ' \
  | gzip -9n > "$out"
echo "wrote $out ($(du -h "$out" | cut -f1)) from release $release: $(grep -c . "$work/demo.log") lines of demo output"
