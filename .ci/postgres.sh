# Sourced by .ci/run: installs and starts Debian's PostgreSQL, creates a superuser role for the
# test databases and exports the connection string the store tests read. CI runs as root; as
# another user it goes through sudo, and without sudo the store tests run on SQLite only.
if [ "$(id -u)" = 0 ]; then
  asroot() { "$@"; }
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  asroot() { sudo -n "$@"; }
else
  echo ".ci/run: not root and no sudo: the store tests run on SQLite only" >&2
  return 0
fi
pg_version() { ls /usr/lib/postgresql 2>/dev/null | sort -V | tail -n 1; }

if [ -z "$(pg_version)" ]; then
  echo ".ci/run: installing postgresql"
  asroot env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  asroot env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
fi
PG_VERSION="$(pg_version)"
if ! pg_lsclusters -h | awk '{print $1" "$2}' | grep -qx "$PG_VERSION main"; then
  asroot pg_createcluster "$PG_VERSION" main >/dev/null
fi
asroot pg_ctlcluster "$PG_VERSION" main start 2>/dev/null || true
for _ in $(seq 1 30); do
  pg_isready -q -h 127.0.0.1 && break
  sleep 1
done
asroot su postgres -c "psql -qtAc \"SELECT 1 FROM pg_roles WHERE rolname='meshstage'\"" | grep -q 1 ||
  asroot su postgres -c "psql -qc \"CREATE ROLE meshstage LOGIN SUPERUSER PASSWORD 'meshstage'\""
export BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING="postgresql://meshstage:meshstage@127.0.0.1:5432"
echo ".ci/run: PostgreSQL $PG_VERSION on 127.0.0.1:5432 for the store tests"
