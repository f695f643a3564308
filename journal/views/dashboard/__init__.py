"""The editor dashboard: pipeline and queues, the submissions table, the editor's paper page,
venue settings and roles, the outbox and analytics."""
