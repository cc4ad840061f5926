"""Make sure the database named by a URL exists and has PostGIS. Used by provision.sh.

Exit codes: 0 ready; 1 cannot connect or create; 3 the server has no PostGIS to install.
With --server-major it prints the server's major version instead.
"""

import sys
from urllib.parse import unquote, urlparse

import psycopg2
from psycopg2 import errors, sql


def connect(url, dbname):
    parts = urlparse(url)
    return psycopg2.connect(
        host=parts.hostname or "127.0.0.1",
        port=parts.port or 5432,
        user=unquote(parts.username or "postgres"),
        password=unquote(parts.password) if parts.password else None,
        dbname=dbname,
        connect_timeout=10,
    )


def main(url, *flags):
    parts = urlparse(url)
    if parts.scheme not in {"postgres", "postgresql", "postgis", "pgsql"}:
        print(f"[provision] ERROR: DATABASE_URL must be a postgres:// URL, got {parts.scheme}://",
              file=sys.stderr)
        return 1
    name = unquote(parts.path.lstrip("/")) or "waystation"
    try:
        admin = connect(url, "postgres")
    except psycopg2.OperationalError:
        admin = None  # a hosted database may not let us into "postgres"; try the target directly
    if admin is not None:
        admin.autocommit = True
        with admin.cursor() as cur:
            if "--server-major" in flags:
                cur.execute("SHOW server_version_num")
                print(int(cur.fetchone()[0]) // 10000)
                return 0
            cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if cur.fetchone() is None:
                print(f"[provision] creating database {name}", file=sys.stderr)
                try:
                    cur.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
                except psycopg2.Error as exc:
                    print(f"[provision] ERROR: cannot create database {name}: {exc}", file=sys.stderr)
                    return 1
        admin.close()
    try:
        conn = connect(url, name)
    except psycopg2.OperationalError as exc:
        print(f"[provision] ERROR: cannot connect to {parts.hostname}:{parts.port or 5432}/{name}: "
              f"{str(exc).strip()}", file=sys.stderr)
        return 1
    conn.autocommit = True
    with conn.cursor() as cur:
        try:
            cur.execute("CREATE EXTENSION IF NOT EXISTS postgis")
        except (errors.UndefinedFile, errors.FeatureNotSupported) as exc:
            print(f"[provision] ERROR: PostGIS is not installed on that server ({str(exc).strip()}). "
                  "Install postgresql-<version>-postgis-3 there.", file=sys.stderr)
            return 3
        except psycopg2.Error as exc:
            print(f"[provision] ERROR: cannot enable PostGIS in {name}: {str(exc).strip()}. "
                  "Ask the database owner to run CREATE EXTENSION postgis.", file=sys.stderr)
            return 1
        cur.execute("SELECT postgis_lib_version()")
        print(f"[provision] database {name} ready, PostGIS {cur.fetchone()[0]}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit("usage: ensure_db.py DATABASE_URL [--server-major]")
    sys.exit(main(*sys.argv[1:]))
