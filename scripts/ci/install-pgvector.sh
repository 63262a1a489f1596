#!/usr/bin/env bash
# Builds and installs pgvector for the machine's PostgreSQL when it is missing. Debian bookworm does
# not package it for PostgreSQL 15, so the source package of the next release is built against the
# installed server headers. The mirror is taken from the machine's own apt configuration.
set -euo pipefail

pg_major=$(pg_config --version 2>/dev/null | sed -E 's/^PostgreSQL ([0-9]+).*/\1/' || true)
if [ -z "${pg_major}" ]; then
  pg_major=$(ls /usr/lib/postgresql | sort -n | tail -1)
fi
if [ -f "/usr/share/postgresql/${pg_major}/extension/vector.control" ]; then
  echo "pgvector already installed for PostgreSQL ${pg_major}"
  exit 0
fi

sources=/etc/apt/sources.list.d/debian.sources
uris=$(awk '/^URIs:/ {print $2; exit}' "$sources")
cat > /etc/apt/sources.list.d/pgvector-src.sources <<SRC
Types: deb-src
URIs: ${uris}
Suites: trixie
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC

export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq "postgresql-server-dev-${pg_major}" make gcc dpkg-dev >/dev/null

work=$(mktemp -d)
( cd "$work" && apt-get source -qq pgvector >/dev/null 2>&1 )
src=$(find "$work" -maxdepth 1 -type d -name 'pgvector-*' | head -1)
make -C "$src" -s PG_CONFIG="/usr/lib/postgresql/${pg_major}/bin/pg_config" >/dev/null
make -C "$src" -s PG_CONFIG="/usr/lib/postgresql/${pg_major}/bin/pg_config" install >/dev/null
rm -rf "$work"
echo "pgvector installed for PostgreSQL ${pg_major}"
