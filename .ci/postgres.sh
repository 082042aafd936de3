#!/usr/bin/env bash
# Install PostgreSQL from Debian's packages (if needed), start it on 127.0.0.1, and create a
# test database. Prints the URL for the tests: postgresql://USER:PASS@127.0.0.1:PORT/DB
set -euo pipefail
if ! command -v pg_lsclusters >/dev/null 2>&1 || [ -z "$(ls /usr/lib/postgresql 2>/dev/null)" ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq postgresql >&2
fi
ver=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
if ! pg_lsclusters -h | awk '{print $1" "$2}' | grep -q "^$ver main$"; then
  pg_createcluster "$ver" main >&2
fi
pg_ctlcluster "$ver" main start >&2 || true
for _ in $(seq 1 30); do
  pg_isready -q -h 127.0.0.1 -p 5432 && break
  sleep 1
done
su postgres -c "psql -q -tAc \"SELECT 1 FROM pg_roles WHERE rolname='paradiplomacy'\"" | grep -q 1 ||
  su postgres -c "psql -q -c \"CREATE ROLE paradiplomacy LOGIN SUPERUSER PASSWORD 'paradiplomacy'\"" >&2
su postgres -c "psql -q -tAc \"SELECT 1 FROM pg_database WHERE datname='paradiplomacy_test'\"" | grep -q 1 ||
  su postgres -c "createdb -O paradiplomacy paradiplomacy_test" >&2
echo "postgresql://paradiplomacy:paradiplomacy@127.0.0.1:5432/paradiplomacy_test"
