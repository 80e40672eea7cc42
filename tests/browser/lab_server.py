"""A throwaway JupyterLab server for the browser tests.

``LabServer`` starts ``jupyter lab --no-browser`` from the current environment on 127.0.0.1, at a
free port, with a random token, serving a temporary copy of ``notebooks/`` (so autosave can never
touch the committed notebooks). Jupyter's config, runtime, settings and workspace folders are
temporary too, so nothing on the machine (a user's ``~/.jupyter``, a saved workspace) changes what
the test sees. The data folders are left alone: they hold the ipywidgets lab extension.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

STARTUP_TIMEOUT_S = 90
PORT_ATTEMPTS = 3
SHUTDOWN_TIMEOUT_S = 15

# User settings written before the server starts, as JupyterLab's settings editor would:
# - every cell stays in the DOM (no windowing), so a check over the page sees the whole notebook;
# - the notebook's own kernel starts without a "Select Kernel" dialog;
# - no autosave, no news or update pop-ups over the notebook.
USER_SETTINGS = {
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {
        "windowingMode": "none",
        "autoStartDefaultKernel": True,
    },
    "@jupyterlab/docmanager-extension/plugin.jupyterlab-settings": {"autosave": False},
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {
        "checkForUpdates": False,
        "fetchNews": "false",
    },
}


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class LabServer:
    """``jupyter lab`` serving a copy of ``notebooks_dir`` from ``workdir``; a context manager."""

    def __init__(self, notebooks_dir: Path, workdir: Path) -> None:
        self.workdir = workdir
        self.root_dir = workdir / "notebooks"
        shutil.copytree(notebooks_dir, self.root_dir, ignore=shutil.ignore_patterns(".*"))
        self.port = free_port()
        self.token = secrets.token_hex(24)
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.log_path = workdir / "jupyter-lab.log"
        self._process: subprocess.Popen | None = None
        self._shutdowns: list[threading.Thread] = []

    def _write_settings(self) -> Path:
        settings_dir = self.workdir / "lab-settings"
        for relative, values in USER_SETTINGS.items():
            path = settings_dir / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(values))
        return settings_dir

    def command(self) -> list[str]:
        """The command line that starts the server."""
        jupyter = Path(sys.executable).with_name("jupyter")
        command = [
            str(jupyter),
            "lab",
            "--no-browser",
            "--ServerApp.ip=127.0.0.1",
            f"--ServerApp.port={self.port}",
            "--ServerApp.port_retries=0",
            f"--IdentityProvider.token={self.token}",
            f"--ServerApp.root_dir={self.root_dir}",
            f"--LabApp.user_settings_dir={self._write_settings()}",
            f"--LabApp.workspaces_dir={self.workdir / 'lab-workspaces'}",
            # window.jupyterapp: lets the test read the notebook's model (outputs, kernel status).
            "--LabApp.expose_app_in_browser=True",
            "--LabApp.news_url=",
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        ]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            command.append("--allow-root")
        return command

    def environment(self) -> dict[str, str]:
        """The caller's environment with Jupyter's config and runtime folders made private."""
        env = dict(os.environ)
        env["JUPYTER_CONFIG_DIR"] = str(self.workdir / "jupyter-config")
        env["JUPYTER_RUNTIME_DIR"] = str(self.workdir / "jupyter-runtime")
        env.setdefault("PYTHONHASHSEED", "0")
        return env

    def start(self) -> None:
        """Start the server and return once its REST API answers.

        If the free port was taken in the meantime (the server exits saying so), try again on
        another one, up to PORT_ATTEMPTS times.
        """
        for _attempt in range(PORT_ATTEMPTS):
            if self._launch():
                return
            if "already in use" not in self.log_tail():
                break
            self.port = free_port()
            self.base_url = f"http://127.0.0.1:{self.port}"
        raise RuntimeError(
            f"jupyter lab exited with code {self._process.returncode}:\n{self.log_tail()}"
        )

    def _launch(self) -> bool:
        """One start: True once the API answers, False if the server exited first."""
        with self.log_path.open("wb") as log:
            self._process = subprocess.Popen(
                self.command(),
                cwd=self.root_dir,
                env=self.environment(),
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                return False
            try:
                self.api("GET", "/api/status", timeout=2)
                return True
            except OSError:  # refused, reset, timed out: not up yet (or not ours)
                time.sleep(0.25)
        self.stop()
        raise RuntimeError(
            f"jupyter lab did not answer within {STARTUP_TIMEOUT_S} s:\n{self.log_tail()}"
        )

    def stop(self) -> None:
        """Stop the server (and with it every kernel it started)."""
        for thread in self._shutdowns:
            thread.join(timeout=SHUTDOWN_TIMEOUT_S)
        if self._process is None or self._process.poll() is not None:
            return
        self._process.terminate()
        try:
            self._process.wait(timeout=SHUTDOWN_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            os.killpg(self._process.pid, 9)
            self._process.wait()

    def api(self, method: str, path: str, timeout: float = 10) -> object:
        """Call the server's REST API with the token; the decoded JSON answer (or None)."""
        request = urllib.request.Request(
            f"{self.base_url}{path}",
            method=method,
            headers={"Authorization": f"token {self.token}"},
        )
        with urllib.request.urlopen(request, timeout=timeout) as response:
            body = response.read()
        return json.loads(body) if body else None

    def shutdown_kernels(self) -> None:
        """End every session and its kernel, e.g. after each notebook, to keep memory low.

        The kernels shut down in the background (a kernel takes a second or two to exit);
        ``stop()`` waits for them.
        """
        sessions = self.api("GET", "/api/sessions") or []
        for session in sessions:
            thread = threading.Thread(
                target=self.api, args=("DELETE", f"/api/sessions/{session['id']}"), daemon=True
            )
            thread.start()
            self._shutdowns.append(thread)

    def notebook_url(self, name: str) -> str:
        """The URL that opens ``name`` in a fresh workspace (``?reset``)."""
        return f"{self.base_url}/lab/tree/{name}?reset&token={self.token}"

    def log_tail(self, lines: int = 40) -> str:
        """The end of the server's log, for failure messages."""
        if not self.log_path.exists():
            return ""
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])

    def __enter__(self) -> LabServer:
        self.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop()
