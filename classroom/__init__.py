"""A class rehearsal on a real JupyterHub, on one machine, listening on 127.0.0.1 only.

``hub.Classroom`` starts JupyterHub (with configurable-http-proxy, the idle culler as a hub
service and a shared-password login) and a git daemon serving the course for nbgitpuller;
``rehearsal`` drives N students through it; ``cleanup`` removes whatever a killed run left.
"""
