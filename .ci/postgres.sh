#!/bin/sh
# postgres.sh installs PostgreSQL from Debian's packages when missing, starts
# it, makes sure the role and database khabar exist, and prints the URL to
# use (KHABAR_TEST_DATABASE_URL / KHABAR_DATABASE_URL). Safe to run again.
set -eu

ROLE=khabar
PASSWORD=khabar
DB=khabar

if ! command -v pg_lsclusters >/dev/null 2>&1 || [ -z "$(pg_lsclusters -h 2>/dev/null)" ]; then
	export DEBIAN_FRONTEND=noninteractive
	apt-get update >&2
	apt-get install -y postgresql >&2
fi

# Start every cluster that is down (Debian creates one: <version> main).
pg_lsclusters -h | while read -r version cluster port status rest; do
	case "$status" in
	online*) ;;
	*) pg_ctlcluster "$version" "$cluster" start >&2 ;;
	esac
done
port=$(pg_lsclusters -h | awk 'NR == 1 { print $3 }')

# Wait until the server accepts connections (at most about 30 s).
i=0
until su postgres -c "pg_isready -q -p $port"; do
	i=$((i + 1))
	if [ "$i" -ge 30 ]; then
		echo "postgres.sh: the server on port $port does not accept connections" >&2
		exit 1
	fi
	sleep 1
done

psql_admin() { su postgres -c "psql -p $port -v ON_ERROR_STOP=1 -qtA $*"; }

if [ "$(psql_admin "-c \"SELECT 1 FROM pg_roles WHERE rolname = '$ROLE'\"")" != 1 ]; then
	# SUPERUSER: the test suite creates and drops a database per test.
	psql_admin "-c \"CREATE ROLE $ROLE LOGIN SUPERUSER PASSWORD '$PASSWORD'\"" >&2
fi
if [ "$(psql_admin "-c \"SELECT 1 FROM pg_database WHERE datname = '$DB'\"")" != 1 ]; then
	psql_admin "-c \"CREATE DATABASE $DB OWNER $ROLE ENCODING 'UTF8' TEMPLATE template0\"" >&2
fi

echo "postgres://$ROLE:$PASSWORD@localhost:$port/$DB?sslmode=disable"
