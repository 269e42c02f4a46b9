"""The chaos suite: the gateway loses nothing while national systems misbehave and replicas die.

Two scenarios, each a real run on loopback with real processes killed with SIGKILL:
``test_chaos_postgresql`` (three replicas on one PostgreSQL database, 20,000 events) and
``test_chaos_sqlite`` (one process on a SQLite file, 10,000 events). ``scenario`` runs one from
start to verdict, ``workload`` is the load and its client, ``harness`` the processes, faults and
kill schedule, ``verdict`` the rules a run is judged by; ``test_verdict`` shows each rule failing
on a journal written by hand.

Run alone with ``pytest -m chaos`` (``-rP`` prints each run's figures); ``make test`` runs it too.
"""
