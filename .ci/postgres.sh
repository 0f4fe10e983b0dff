#!/usr/bin/env bash
# Source me: start a throwaway PostgreSQL cluster on a unix socket in a temp dir and export
# SLANT_TEST_POSTGRES_URL for the store tests. Does nothing when no PostgreSQL binaries are installed.
# The cluster stops when the sourcing shell exits.

slant_pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [ -n "$slant_pg_bin" ]; then
  slant_pg_dir=$(mktemp -d /tmp/slant-pg.XXXXXX)
  slant_pg_port=${SLANT_PG_PORT:-55432}
  if [ "$(id -u)" = 0 ]; then
    chown postgres "$slant_pg_dir"
    slant_pg() { su postgres -s /bin/sh -c "$*"; }
  else
    slant_pg() { sh -c "$*"; }
  fi
  slant_pg "'$slant_pg_bin/initdb' -D '$slant_pg_dir/data' -A trust -U postgres" >/dev/null
  slant_pg "'$slant_pg_bin/pg_ctl' -D '$slant_pg_dir/data' -l '$slant_pg_dir/log' -w \
    -o \"-k '$slant_pg_dir' -p $slant_pg_port -c listen_addresses=''\" start" >/dev/null
  slant_pg "'$slant_pg_bin/createdb' -h '$slant_pg_dir' -p $slant_pg_port -U postgres slant_test"
  export SLANT_TEST_POSTGRES_URL="postgresql+psycopg://postgres@/slant_test?host=$slant_pg_dir&port=$slant_pg_port"
  trap "slant_pg \"'$slant_pg_bin/pg_ctl' -D '$slant_pg_dir/data' -m fast stop\" >/dev/null; rm -rf '$slant_pg_dir'" EXIT
fi
