"""Start a real JupyterHub for a class rehearsal on this machine, and clean up after it.

``Classroom(students=N)`` is a context manager. On entry it

1. serves the course repository with ``git daemon`` on 127.0.0.1 (the nbgitpuller link's source);
2. as root, creates one Unix user and home folder a student (``rehearsal-<run>-NN``), as The
   Littlest JupyterHub does, and checks each can run the course's environment;
   otherwise the students' servers run as you, each in its own home folder;
3. starts JupyterHub with ``jupyterhub_config.py`` beside this file: configurable-http-proxy,
   the idle culler as a hub service, one shared password, everything on 127.0.0.1.

On exit (also on Ctrl+C, SIGTERM or SIGHUP) it stops the hub, every server, kernel and git
process it started, deletes the users and their home folders and any permission it added. What
it creates is written down as it goes in ``<tmp>/lstm-classroom-*/created.json``, so that
``python -m classroom.cleanup`` can finish the job after a run was killed with SIGKILL.

``python -m classroom.hub --students 3`` starts one for you to try in a browser.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import signal
import socket
import stat
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote, urlencode

import psutil
import requests

ROOT = Path(__file__).resolve().parents[1]
CONFIG = Path(__file__).with_name("jupyterhub_config.py")
USER_PREFIX = "rehearsal-"
STATE_PREFIX = "lstm-classroom-"
COURSE_REPO = "lstm-course"  # served as git://127.0.0.1:PORT/lstm-course, cloned to ~/lstm-course
COURSE_BRANCH = "main"
LOG_DIR = ROOT / "test-artifacts" / "classroom"


class ClassroomError(RuntimeError):
    """The rehearsal hub could not be set up; the message says what to do."""


def is_root() -> bool:
    return os.geteuid() == 0


def course_venv() -> Path:
    """The environment the students' servers run: this interpreter's, if it has JupyterHub."""
    here = Path(sys.prefix)
    if (here / "bin" / "jupyterhub-singleuser").exists():
        return here
    return ROOT / ".venv"


def proxy_command() -> str:
    """configurable-http-proxy: $CLASSROOM_PROXY, the Makefile's local install, or the PATH."""
    candidates = [
        os.environ.get("CLASSROOM_PROXY", ""),
        str(course_venv() / "chp" / "node_modules" / ".bin" / "configurable-http-proxy"),
        shutil.which("configurable-http-proxy") or "",
    ]
    for candidate in candidates:
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    raise ClassroomError(
        "configurable-http-proxy not found: run `make classroom-install` "
        "(npm installs it into .venv/chp), or set CLASSROOM_PROXY to its path"
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run(cmd: list[str], **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, check=True, capture_output=True, text=True, **kwargs)


# -- what a run creates, written down as it goes ------------------------------------------


def _process_id(pid: int) -> list[float]:
    """(pid, start time): a pid alone may be reused by an unrelated process later."""
    return [pid, psutil.Process(pid).create_time()]


def _still_ours(pid: int, created: float) -> psutil.Process | None:
    try:
        proc = psutil.Process(pid)
        return proc if abs(proc.create_time() - created) < 0.01 else None
    except psutil.Error:
        return None


def _terminate(procs: list[psutil.Process], timeout: float = 10.0) -> None:
    for proc in procs:
        try:
            proc.terminate()
        except psutil.Error:
            pass
    _, alive = psutil.wait_procs(procs, timeout=timeout)
    for proc in alive:
        try:
            proc.kill()
        except psutil.Error:
            pass
    psutil.wait_procs(alive, timeout=5)


def user_processes(users: list[str]) -> list[psutil.Process]:
    names = set(users)
    found = []
    for proc in psutil.process_iter(["username"]):
        if proc.info["username"] in names:
            found.append(proc)
    return found


def cleanup_record(record_file: Path) -> list[str]:
    """Undo everything a run's ``created.json`` lists; returns what was done, one line each."""
    record = json.loads(record_file.read_text(encoding="utf-8"))
    done = []
    procs = []
    for name, (pid, created) in record.get("processes", {}).items():
        proc = _still_ours(pid, created)
        if proc is not None:
            try:
                procs += [*proc.children(recursive=True), proc]
            except psutil.Error:
                pass
            done.append(f"stopped {name} (pid {pid})")
    _terminate(procs)
    users = record.get("users", [])
    leftover = user_processes(users)
    if leftover:
        _terminate(leftover)
        done.append(f"stopped {len(leftover)} process(es) of the rehearsal's users")
    for user in users:
        if subprocess.run(["id", "-u", user], capture_output=True).returncode == 0:
            result = change_users(["userdel", "--remove", user])
            done.append(
                f"deleted user {user} and its home folder"
                if result.returncode == 0
                else f"could not delete user {user}: {result.stderr.strip()}"
            )
    still_needed = live_chmods(other_than=record_file)
    for path, mode in reversed(record.get("chmods", [])):
        if os.path.exists(path) and path not in still_needed:  # else the last run restores it
            os.chmod(path, mode)
            done.append(f"restored mode {oct(mode)} of {path}")
    shutil.rmtree(record_file.parent, ignore_errors=True)
    return done


def stale_records(everything: bool = False) -> list[Path]:
    """Records of runs whose owner is gone (or all of them)."""
    found = []
    for record_file in Path(tempfile.gettempdir()).glob(f"{STATE_PREFIX}*/created.json"):
        try:
            owner = json.loads(record_file.read_text(encoding="utf-8"))["owner"]
        except (OSError, ValueError, KeyError):
            continue  # being removed by its own run
        if everything or _still_ours(*owner) is None:
            found.append(record_file)
    return found


def live_chmods(other_than: Path) -> set[str]:
    """Folders whose added bit another live run still relies on."""
    paths = set()
    for record_file in Path(tempfile.gettempdir()).glob(f"{STATE_PREFIX}*/created.json"):
        if record_file == other_than:
            continue
        try:
            record = json.loads(record_file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if _still_ours(*record["owner"]) is not None:
            paths |= {path for path, _ in record.get("chmods", [])}
    return paths


def change_users(cmd: list[str]) -> subprocess.CompletedProcess:
    """useradd/userdel, again while another process holds the password files' lock."""
    for _ in range(20):
        result = subprocess.run(cmd, capture_output=True, text=True)
        if result.returncode == 0 or "lock" not in result.stderr:
            return result
        time.sleep(0.5)
    return result


# -- the hub ---------------------------------------------------------------------------------


class Classroom:
    """A running rehearsal hub with ``students`` students (see the module docstring)."""

    def __init__(
        self,
        students: int,
        cull_timeout: int = 3600,
        cull_every: int = 60,
        activity_interval: int = 300,
        start_timeout: int = 300,
        unix_users: bool | None = None,
    ) -> None:
        if students < 1:
            raise ClassroomError(f"students must be at least 1, got {students}")
        self.unix_users = is_root() if unix_users is None else unix_users
        if self.unix_users and not is_root():
            raise ClassroomError("per-student Unix users need root; run as root or without them")
        self.run_id = secrets.token_hex(2)
        prefix = f"{USER_PREFIX}{self.run_id}-" if self.unix_users else "student-"
        self.users = [f"{prefix}{k:02d}" for k in range(1, students + 1)]
        self.password = secrets.token_urlsafe(16)
        self.driver_token = secrets.token_hex(32)
        self.venv = course_venv()
        self.cull_timeout, self.cull_every = cull_timeout, cull_every
        self.activity_interval, self.start_timeout = activity_interval, start_timeout
        self.state: Path | None = None
        self.hub: subprocess.Popen | None = None
        self.git: subprocess.Popen | None = None
        self._record: dict = {}
        self._old_handlers: dict = {}

    # -- lifetime ----------------------------------------------------------------------------

    def __enter__(self) -> Classroom:
        self._trap_signals()
        try:
            self.start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def _trap_signals(self) -> None:
        def leave(signum, frame):
            raise SystemExit(128 + signum)

        try:
            for sig in (signal.SIGTERM, signal.SIGHUP):
                self._old_handlers[sig] = signal.signal(sig, leave)
        except ValueError:  # not the main thread: the caller cleans up
            self._old_handlers = {}

    def _save_record(self) -> None:
        """Written whole or not at all (a rename), so no reader ever sees half a record."""
        partial = self.state / "created.json.partial"
        partial.write_text(json.dumps(self._record, indent=1), encoding="utf-8")
        os.replace(partial, self.state / "created.json")

    def start(self) -> None:
        for stale in stale_records():
            cleanup_record(stale)
        self.state = Path(tempfile.mkdtemp(prefix=f"{STATE_PREFIX}{self.run_id}-"))
        self._record = {
            "owner": _process_id(os.getpid()),
            "users": [],
            "processes": {},
            "chmods": [],
        }
        self._save_record()
        proxy = proxy_command()
        self.git_port = free_port()
        self.serve_course()
        if self.unix_users:
            self.create_users()
        self.hub_port = free_port()
        self.start_hub(proxy)

    def stop(self) -> None:
        if self.state is None:
            return
        if self.hub is not None and self.hub.poll() is None:
            self.hub.send_signal(signal.SIGTERM)  # the hub stops the servers and the proxy
            try:
                self.hub.wait(timeout=60)
            except subprocess.TimeoutExpired:
                pass
        LOG_DIR.mkdir(parents=True, exist_ok=True)
        if (self.state / "hub.log").exists():
            shutil.copy(self.state / "hub.log", LOG_DIR / f"hub-{self.run_id}.log")
        cleanup_record(self.state / "created.json")
        self.state = None
        for sig, handler in self._old_handlers.items():
            signal.signal(sig, handler)
        self._old_handlers = {}

    # -- the pieces --------------------------------------------------------------------------

    def serve_course(self) -> None:
        """A bare copy of this repository's checked-out commit, served by git daemon."""
        base = self.state / "git"
        self.upstream = base / f"{COURSE_REPO}.git"
        run(["git", "clone", "--quiet", "--bare", "--no-local", str(ROOT), str(self.upstream)])
        head = run(["git", "-C", str(ROOT), "rev-parse", "HEAD"]).stdout.strip()
        branch = f"refs/heads/{COURSE_BRANCH}"
        run(["git", "-C", str(self.upstream), "update-ref", branch, head])
        run(["git", "-C", str(self.upstream), "symbolic-ref", "HEAD", branch])
        self.git = subprocess.Popen(
            [
                "git",
                "daemon",
                "--listen=127.0.0.1",
                f"--port={self.git_port}",
                "--export-all",
                "--reuseaddr",
                f"--base-path={base}",
                str(base),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        self._record["processes"]["git daemon"] = _process_id(self.git.pid)
        self._save_record()
        deadline = time.monotonic() + 20
        while subprocess.run(["git", "ls-remote", self.course_url], capture_output=True).returncode:
            if self.git.poll() is not None or time.monotonic() > deadline:
                raise ClassroomError(f"git daemon did not serve {self.course_url}")
            time.sleep(0.2)

    @property
    def course_url(self) -> str:
        return f"git://127.0.0.1:{self.git_port}/{COURSE_REPO}"

    def create_users(self) -> None:
        for user in self.users:
            self._record["users"].append(user)  # written down first: cleanup tolerates absence
            self._save_record()
            result = change_users(
                ["useradd", "--create-home", "--shell", "/bin/bash", "--user-group", user]
            )
            if result.returncode:
                raise ClassroomError(f"useradd {user} failed: {result.stderr.strip()}")
        self._let_students_read_the_environment(self.users[0])

    def _let_students_read_the_environment(self, user: str) -> None:
        """The students must be able to run the course's Python and import the course.

        A folder above the clone without the others' execute (traverse) bit hides it from them:
        add that one bit where it is missing, written down and restored at cleanup.
        """
        check = [
            "runuser",
            "-u",
            user,
            "--",
            str(self.venv / "bin" / "python"),
            "-c",
            "import lstm_course, ipykernel, nbgitpuller, jupyterhub",
        ]
        if subprocess.run(check, capture_output=True, cwd="/").returncode == 0:
            # Maybe thanks to a bit another live run added: rely on it, restore it if last.
            for record_file in Path(tempfile.gettempdir()).glob(f"{STATE_PREFIX}*/created.json"):
                if record_file.parent == self.state:
                    continue
                try:
                    other = json.loads(record_file.read_text(encoding="utf-8"))
                except (OSError, ValueError):
                    continue
                if _still_ours(*other["owner"]) is not None:
                    known = {path for path, _ in self._record["chmods"]}
                    for path, mode in other.get("chmods", []):
                        if path not in known:
                            self._record["chmods"].append([path, mode])
            self._save_record()
            return
        python = (self.venv / "bin" / "python").resolve()  # e.g. under /root/.pyenv
        for target in {ROOT, self.venv, self.venv.resolve(), python, python.parents[1]}:
            for folder in [*reversed(target.parents), target]:
                mode = folder.stat().st_mode
                if not mode & stat.S_IXOTH:
                    self._record["chmods"].append([str(folder), stat.S_IMODE(mode)])
                    self._save_record()
                    os.chmod(folder, stat.S_IMODE(mode) | stat.S_IXOTH)
        result = subprocess.run(check, capture_output=True, text=True, cwd="/")
        if result.returncode:
            raise ClassroomError(
                f"the student {user} cannot run {self.venv}/bin/python with the course: "
                f"{result.stderr.strip()[-500:]}"
            )

    def start_hub(self, proxy: str) -> None:
        settings = {
            "state_dir": str(self.state),
            "venv": str(self.venv),
            "hub_port": self.hub_port,
            "hub_api_port": free_port(),
            "proxy_api_port": free_port(),
            "proxy_command": proxy,
            "proxy_token": secrets.token_hex(32),
            "users": self.users,
            "spawner": "local-users" if self.unix_users else "simple",
            "password": self.password,
            "driver_token": self.driver_token,
            "cull_timeout": self.cull_timeout,
            "cull_every": self.cull_every,
            "activity_interval": self.activity_interval,
            "start_timeout": self.start_timeout,
        }
        settings_file = self.state / "settings.json"
        settings_file.write_text(json.dumps(settings), encoding="utf-8")
        settings_file.chmod(0o600)
        env = {**os.environ, "CLASSROOM_SETTINGS": str(settings_file)}
        env["PATH"] = f"{self.venv / 'bin'}:{env.get('PATH', '/usr/bin:/bin')}"
        log = open(self.state / "hub.log", "wb")  # noqa: SIM115 (the hub writes it until stop)
        self.hub = subprocess.Popen(
            [str(self.venv / "bin" / "jupyterhub"), "-f", str(CONFIG)],
            cwd=self.state,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()
        self._record["processes"]["jupyterhub"] = _process_id(self.hub.pid)
        self._save_record()
        deadline = time.monotonic() + 120
        while True:
            if self.hub.poll() is not None:
                raise ClassroomError(f"JupyterHub exited at start:\n{self.hub_log_tail()}")
            try:
                if requests.get(f"{self.url}/hub/api/", timeout=2).ok:
                    break
            except requests.ConnectionError:
                pass
            if time.monotonic() > deadline:
                raise ClassroomError(f"JupyterHub did not answer in 120 s:\n{self.hub_log_tail()}")
            time.sleep(0.3)

    def hub_log_tail(self, lines: int = 30) -> str:
        log = (self.state / "hub.log").read_text(encoding="utf-8", errors="replace")
        return "\n".join(log.splitlines()[-lines:])

    # -- what a teacher (or the driver) uses ---------------------------------------------------

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.hub_port}"

    def link(self, notebook: str = "notebooks/00_start_here.ipynb") -> str:
        """The nbgitpuller link a teacher hands out, as in the instructor guide."""
        query = urlencode(
            {
                "repo": self.course_url,
                "branch": COURSE_BRANCH,
                "urlpath": f"lab/tree/{COURSE_REPO}/{notebook}",
            },
            quote_via=quote,
        )
        return f"{self.url}/hub/user-redirect/git-pull?{query}"

    def api(self, method: str, path: str, **kwargs) -> requests.Response:
        """The hub's REST API as the rehearsal driver (a service with admin:servers)."""
        headers = {"Authorization": f"token {self.driver_token}"}
        return requests.request(
            method, f"{self.url}/hub/api{path}", headers=headers, timeout=30, **kwargs
        )

    def server(self, user: str) -> dict | None:
        """The hub's model of the user's default server, with its state (pid), or None."""
        reply = self.api("GET", f"/users/{user}")
        reply.raise_for_status()
        return reply.json()["servers"].get("")

    def home(self, user: str) -> Path:
        if self.unix_users:
            return Path(os.path.expanduser(f"~{user}"))
        return self.state / "home" / user

    def hub_processes(self) -> list[psutil.Process]:
        """The hub and everything it started (proxy, culler, servers, kernels), and git daemon."""
        found = []
        for popen in (self.hub, self.git):
            if popen is not None and popen.poll() is None:
                try:
                    proc = psutil.Process(popen.pid)
                    found += [proc, *proc.children(recursive=True)]
                except psutil.Error:
                    pass
        return found


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", type=int, default=3)
    parser.add_argument("--cull-timeout", type=int, default=3600, help="seconds idle")
    args = parser.parse_args(argv)
    with Classroom(args.students, cull_timeout=args.cull_timeout) as room:
        print(f"JupyterHub at {room.url}  (127.0.0.1 only)")
        print(f"students: {', '.join(room.users)}   shared password: {room.password}")
        print(f"the course's nbgitpuller link:\n  {room.link()}")
        print("Ctrl+C stops the hub and removes every user, server and file it made.", flush=True)
        try:
            while room.hub.poll() is None:
                time.sleep(1)
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
