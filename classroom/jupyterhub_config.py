# The rehearsal hub's configuration: `jupyterhub -f classroom/jupyterhub_config.py`.
#
# Everything this machine-specific file needs comes from the JSON file named by
# $CLASSROOM_SETTINGS, written by classroom/hub.py (`python -m classroom.hub` or
# `make classroom-rehearsal`); paths are derived there from the repository's location, never
# written here. Every port is on 127.0.0.1: nothing here is reachable from another machine.
import json
import os
from pathlib import Path

from jupyterhub.utils import random_port

c = get_config()  # noqa: F821 (JupyterHub's config loader provides get_config)

settings = json.loads(Path(os.environ["CLASSROOM_SETTINGS"]).read_text(encoding="utf-8"))
venv_bin = Path(settings["venv"]) / "bin"
state = Path(settings["state_dir"])

# The hub, its proxy and its REST API: loopback only.
c.JupyterHub.bind_url = f"http://127.0.0.1:{settings['hub_port']}"
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = settings["hub_api_port"]
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{settings['proxy_api_port']}"
c.ConfigurableHTTPProxy.command = [settings["proxy_command"]]
c.ConfigurableHTTPProxy.auth_token = settings["proxy_token"]
c.JupyterHub.db_url = f"sqlite:///{state / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(state / "jupyterhub_cookie_secret")
c.JupyterHub.pid_file = str(state / "jupyterhub.pid")
c.JupyterHub.cleanup_servers = True  # stopping the hub stops every student's server
c.JupyterHub.last_activity_interval = settings["activity_interval"]

# Rehearsal login: one shared password, known to the driver; only the rehearsal's students.
c.JupyterHub.authenticator_class = "shared-password"
c.SharedPasswordAuthenticator.user_password = settings["password"]
c.Authenticator.allowed_users = set(settings["users"])

# Each student's own JupyterLab server, from the course's environment.
if settings["spawner"] == "local-users":
    # As root: one Unix user and home folder a student, as The Littlest JupyterHub does
    # (TLJH uses systemd for the same; a container has no systemd, so the process spawner).
    c.JupyterHub.spawner_class = "jupyterhub.spawner.LocalProcessSpawner"
else:
    # Not root: every student's server runs as you, each in its own home folder.
    c.JupyterHub.spawner_class = "jupyterhub.spawner.SimpleLocalProcessSpawner"
    c.SimpleLocalProcessSpawner.home_dir_template = str(state / "home" / "{username}")
    if os.geteuid() == 0:  # root without per-student users (--same-user): all run as root
        c.Spawner.args = ["--allow-root"]
c.Spawner.ip = "127.0.0.1"
c.Spawner.cmd = [str(venv_bin / "jupyterhub-singleuser")]
c.Spawner.default_url = "/lab"
c.Spawner.environment = {
    "PATH": f"{venv_bin}:/usr/local/bin:/usr/bin:/bin",
    "JUPYTERHUB_ACTIVITY_INTERVAL": str(settings["activity_interval"]),
}
c.Spawner.start_timeout = settings["start_timeout"]


# JupyterHub gives each local server a free port by binding port 0 and closing it again
# (jupyterhub/jupyterhub#3005): two servers started at the same moment can get the same port,
# and the hub then routes the second student to the first student's server (it happened here,
# 20 students at once). Each server gets a port no other server of this hub holds.
ports_in_use: dict[str, int] = {}


def distinct_port(spawner) -> None:
    ports_in_use.pop(spawner.user.name, None)
    port = random_port()
    while port in ports_in_use.values():
        port = random_port()
    ports_in_use[spawner.user.name] = spawner.port = port


c.Spawner.pre_spawn_hook = distinct_port
c.Spawner.http_timeout = settings["start_timeout"]

# The idle culler, as a hub service with only the rights it needs.
c.JupyterHub.services = [
    {
        "name": "idle-culler",
        "command": [
            str(venv_bin / "python"),
            "-m",
            "jupyterhub_idle_culler",
            f"--timeout={settings['cull_timeout']}",
            f"--cull-every={settings['cull_every']}",
        ],
    },
    {"name": "rehearsal-driver", "api_token": settings["driver_token"]},
]
c.JupyterHub.load_roles = [
    {
        "name": "idle-culler",
        "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
        "services": ["idle-culler"],
    },
    {
        # The rehearsal driver reads each server's pid (its state) to measure its memory.
        "name": "rehearsal-driver",
        "scopes": ["list:users", "read:users", "admin:servers", "read:servers"],
        "services": ["rehearsal-driver"],
    },
]
