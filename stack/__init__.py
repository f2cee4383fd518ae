"""The container stack's side of Django: what the images need from a project
(its settings from the environment, probes, migrations before serving,
metrics, request IDs, the client's address, logs, the secret key, backups).

It imports nothing of the project it serves: the project is named once, in
stack.env (stack/facts.py), and the images load stack.settings on top of the
project's own settings module.
"""
