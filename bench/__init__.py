"""``make bench``: how fast the gateway accepts and delivers dossiers, beside a naive relay.

Every server runs as its own process on loopback, as in production; the bench process only
drives load and reads the gateway's ``/v1/status``. ``python -m bench --help`` lists the options.
"""
