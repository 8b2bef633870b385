"""The database's two servers seen from a request: reads on the replica, and read-only mode.

- router.py: which connection a query uses (PrimaryReplicaRouter), from two per-request flags;
- replica.py: is the replica up and caught up with the last publish (ReplicaState);
- primary.py: is the primary reachable (PrimaryState), and the read-only answer;
- middleware.py: sets the flags for each request, answers writes while the primary is down, and
  serves a request again from the replica when the primary fails during it.

See docs/deployment.md ("Reads on the replica", "The primary is down").
"""
