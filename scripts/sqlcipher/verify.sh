#!/usr/bin/env bash
# Proves that the real SQLCipher 4 opens the terminal's store with only the settings docs/security.md gives
# ("Opening a store with the sqlcipher shell"): the raw key and PRAGMA cipher_page_size = 1024.
# Builds SQLCipher 4.5.5 (community) from its amalgamation (npm package @commapp/sqlcipher-amalgamation) against
# OpenSSL, makes a store with this repository's code, and opens it. A manual check, not part of CI: it needs
# gcc, the OpenSSL headers (Debian: libssl-dev) and the npm registry.
# Usage: bash scripts/sqlcipher/verify.sh
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"
npm pack --silent @commapp/sqlcipher-amalgamation@4.5.5 >/dev/null
tar xzf commapp-sqlcipher-amalgamation-4.5.5.tgz
gcc -O1 -DSQLITE_HAS_CODEC -DSQLCIPHER_CRYPTO_OPENSSL -DSQLITE_TEMP_STORE=2 -DSQLITE_THREADSAFE=1 \
  -Ipackage/src package/src/sqlite3.c "$here/check.c" -o check -lcrypto -lpthread -ldl -lm
key="$(cd "$root" && npx tsx scripts/sqlcipher/make-store.ts "$work/store.sqlite" "$work/earlier.sqlite")"

echo "1. the store, key + cipher_page_size = 1024:"
./check store.sqlite "$key" "SELECT count(*) AS audit_rows FROM audit_log; PRAGMA page_size;" 1024
echo "2. the store with SQLCipher 4's defaults only (must fail: 'file is not a database'):"
if ./check store.sqlite "$key" "SELECT count(*) FROM audit_log" 0; then echo "UNEXPECTED: opened"; exit 1; fi
echo "3. a store of the earlier format (SQLCipher 4 defaults), key only:"
./check earlier.sqlite "$key" "SELECT x FROM t" 0
echo "verified: SQLCipher 4 opens the store with the documented settings"
