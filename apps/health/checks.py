"""What readiness means: the database answers and holds every migration."""

from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor


def database_problem():
    """None when the database is ready to serve, else a short reason."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError as error:
        # A broken connection must not stay cached for the next probe.
        connection.close()
        return f"database unavailable: {error}"
    if pending:
        return f"{len(pending)} migration(s) not applied"
    return None
