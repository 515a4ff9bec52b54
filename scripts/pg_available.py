"""Exit 0 when the PostgreSQL server of DATABASE_URL (argv[1]) answers, 1 otherwise."""

import sys

import psycopg


def server_url(url: str, database: str = "postgres") -> str:
    """The URL of another database on the same server (by default the server's maintenance database)."""
    return url.rsplit("/", 1)[0] + "/" + database


if __name__ == "__main__":
    try:
        psycopg.connect(server_url(sys.argv[1]), connect_timeout=3).close()
    except psycopg.Error:
        sys.exit(1)
    sys.exit(0)
