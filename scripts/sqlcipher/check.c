/*
 * Opens a store with the real SQLCipher 4 library exactly as docs/security.md tells the hospital's IT: the raw
 * key, then `PRAGMA cipher_page_size` (when given), nothing else. Built and run by verify.sh beside it.
 * Usage: check <file> <64 hex key> <sql> [page size, 0 for SQLCipher's default]
 */
#include <stdio.h>
#include "sqlite3.h"
static int row(void *u, int n, char **v, char **c) { for (int i = 0; i < n; i++) printf("%s=%s ", c[i], v[i] ? v[i] : "NULL");
  printf("\n");
  fflush(stdout);
  return 0; }
int main(int argc, char **argv) {
  if (argc < 4) { fprintf(stderr, "usage: check <file> <hexkey> <sql> [page size or 0]\n"); return 2; }
  sqlite3 *db; char *err = 0; char sql[512];
  if (sqlite3_open_v2(argv[1], &db, SQLITE_OPEN_READONLY, 0)) { fprintf(stderr, "open: %s\n", sqlite3_errmsg(db)); return 1; }
  snprintf(sql, sizeof sql, "PRAGMA key = \"x'%s'\";", argv[2]);
  if (sqlite3_exec(db, sql, row, 0, &err)) { fprintf(stderr, "key: %s\n", err); return 1; }
  if (argc > 4 && argv[4][0] != '0') { snprintf(sql, sizeof sql, "PRAGMA cipher_page_size = %s;", argv[4]); if (sqlite3_exec(db, sql, row, 0, &err)) { fprintf(stderr, "page size: %s\n", err); return 1; } }
  sqlite3_exec(db, "PRAGMA cipher_version;", row, 0, 0);
  if (sqlite3_exec(db, argv[3], row, 0, &err)) { fprintf(stderr, "query: %s\n", err); return 1; }
  sqlite3_close(db);
  return 0;
}
