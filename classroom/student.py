"""One simulated student, doing through the hub exactly what a browser would do in class.

Every step goes over HTTP and the kernel's websocket to 127.0.0.1, through the proxy:
log in on the hub's login form, take an API token, start the server with the hub's REST API,
click the nbgitpuller link (and stream the pull as the link's page does), open a notebook in
a kernel session and run its code cells one after another over the websocket, move a widget's
slider with the widget comm protocol and wait for the redrawn figure, edit and save the
notebook through the contents API, shut the kernel and the server down.
"""

from __future__ import annotations

import json
import re
import time
import uuid
from datetime import UTC, datetime
from urllib.parse import quote

import requests
import websocket
from jupyter_server.services.kernels.connection.base import deserialize_binary_message

from classroom.hub import COURSE_BRANCH, COURSE_REPO


class StudentError(RuntimeError):
    """A step failed; the message names the step and the reason."""


def _message(msg_type: str, content: dict, session: str, channel: str = "shell") -> dict:
    return {
        "header": {
            "msg_id": uuid.uuid4().hex,
            "username": "student",
            "session": session,
            "msg_type": msg_type,
            "version": "5.3",
            "date": datetime.now(UTC).isoformat(),
        },
        "parent_header": {},
        "metadata": {},
        "content": content,
        "channel": channel,
        "buffers": [],
    }


class Kernel:
    """A kernel's websocket, as JupyterLab holds it: messages in, widget models tracked."""

    def __init__(self, url: str, token: str, timeout: float) -> None:
        self.session = uuid.uuid4().hex
        self.ws = websocket.create_connection(
            f"{url}?session_id={self.session}",
            header=[f"Authorization: token {token}"],
            timeout=timeout,
        )
        self.models: dict[str, dict] = {}  # comm_id -> widget state, from comm_open / update

    def close(self) -> None:
        self.ws.close()

    def send(self, msg_type: str, content: dict) -> str:
        msg = _message(msg_type, content, self.session)
        self.ws.send(json.dumps(msg))
        return msg["header"]["msg_id"]

    def receive(self) -> dict:
        opcode, data = self.ws.recv_data()
        if opcode == websocket.ABNF.OPCODE_BINARY:
            msg = deserialize_binary_message(data)
        else:
            msg = json.loads(data)
        if msg.get("msg_type") in ("comm_open", "comm_msg"):
            self._track_widget(msg)
        return msg

    def _track_widget(self, msg: dict) -> None:
        content = msg["content"]
        data = content.get("data", {})
        if msg["msg_type"] == "comm_open" and content.get("target_name") == "jupyter.widget":
            self.models[content["comm_id"]] = dict(data.get("state", {}))
        elif data.get("method") in ("update", "echo_update") and content["comm_id"] in self.models:
            self.models[content["comm_id"]].update(data.get("state", {}))

    def execute(self, code: str, deadline: float) -> list[dict]:
        """Run one cell; return its outputs; raise StudentError on an error or a timeout."""
        msg_id = self.send(
            "execute_request",
            {
                "code": code,
                "silent": False,
                "store_history": True,
                "user_expressions": {},
                "allow_stdin": False,
                "stop_on_error": True,
            },
        )
        outputs, replied, idle = [], None, False
        while replied is None or not idle:
            if time.monotonic() > deadline:
                raise StudentError("timed out running the notebook")
            msg = self.receive()
            if msg.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            kind = msg["msg_type"]
            if kind == "execute_reply":
                replied = msg["content"]
            elif kind == "status":
                idle = msg["content"]["execution_state"] == "idle"
            elif kind in ("stream", "display_data", "execute_result", "error"):
                outputs.append({"output_type": kind, **msg["content"]})
        if replied["status"] != "ok":
            raise StudentError(
                f"cell failed: {replied.get('ename')}: {replied.get('evalue')}"[:300]
            )
        return outputs

    def comm_ids(self, model_name: str) -> list[str]:
        return [cid for cid, s in self.models.items() if s.get("_model_name") == model_name]

    def move(self, slider: str, value: float, redrawn: str, deadline: float) -> float:
        """Set a slider as the browser does; seconds until the figure ``redrawn`` comes back."""
        start = time.perf_counter()
        msg_id = self.send(
            "comm_msg",
            {"comm_id": slider, "data": {"method": "update", "state": {"value": value}}},
        )
        got_image, idle = None, False
        while got_image is None or not idle:
            if time.monotonic() > deadline:
                raise StudentError("timed out waiting for the widget's redrawn figure")
            msg = self.receive()
            content = msg.get("content", {})
            if (
                msg["msg_type"] == "comm_msg"
                and content.get("comm_id") == redrawn
                and content.get("data", {}).get("method") == "update"
                and got_image is None
            ):
                got_image = time.perf_counter() - start
            elif msg["msg_type"] == "status" and msg["parent_header"].get("msg_id") == msg_id:
                idle = content["execution_state"] == "idle"
        return got_image


class Student:
    """A student of the rehearsal hub ``room`` (a hub.Classroom), user name ``name``."""

    def __init__(self, room, name: str, timeout: float = 300.0) -> None:
        self.room, self.name = room, name
        self.http = requests.Session()
        self.token = ""
        self.timeout = timeout
        self.deadline = time.monotonic() + timeout

    # -- the hub -----------------------------------------------------------------------------

    def _check(self, reply: requests.Response, step: str) -> requests.Response:
        if not reply.ok:
            raise StudentError(f"{step}: HTTP {reply.status_code} {reply.text[:200]}")
        return reply

    def log_in(self) -> None:
        url = self.room.url
        page = self._check(self.http.get(f"{url}/hub/login", timeout=30), "login page")
        found = re.search(r'name="_xsrf" value="([^"]+)"', page.text)
        xsrf = found.group(1) if found else self.http.cookies.get("_xsrf", "")
        reply = self.http.post(
            f"{url}/hub/login",
            data={"username": self.name, "password": self.room.password, "_xsrf": xsrf},
            allow_redirects=False,
            timeout=30,
        )
        if reply.status_code != 302:
            raise StudentError(f"log in: HTTP {reply.status_code}, not the redirect of a login")
        token = self.http.post(
            f"{url}/hub/api/users/{self.name}/tokens",
            json={"note": "class rehearsal", "expires_in": 3600},
            headers={"X-XSRFToken": self.http.cookies.get("_xsrf", path="/hub/") or xsrf},
            timeout=30,
        )
        self.token = self._check(token, "API token").json()["token"]

    def hub_api(self, method: str, path: str, **kwargs) -> requests.Response:
        headers = {"Authorization": f"token {self.token}"}
        return requests.request(
            method, f"{self.room.url}/hub/api{path}", headers=headers, timeout=60, **kwargs
        )

    def start_server(self) -> float:
        """Start the server; seconds until the hub reports it ready."""
        start = time.perf_counter()
        self._check(self.hub_api("POST", f"/users/{self.name}/server"), "start server")
        while True:
            server = self.hub_api("GET", f"/users/{self.name}").json()["servers"].get("")
            if server and server.get("ready"):
                return time.perf_counter() - start
            if not server and time.perf_counter() - start > 5:  # neither pending nor ready
                raise StudentError("start server: the hub gave up starting it")
            if time.monotonic() > self.deadline:
                raise StudentError("start server: timed out")
            time.sleep(0.25)

    def stop_server(self) -> float:
        start = time.perf_counter()
        reply = self.hub_api("DELETE", f"/users/{self.name}/server")
        if reply.status_code not in (202, 204):
            self._check(reply, "stop server")
        while self.hub_api("GET", f"/users/{self.name}").json()["servers"].get(""):
            if time.monotonic() > self.deadline:
                raise StudentError("stop server: timed out")
            time.sleep(0.25)
        return time.perf_counter() - start

    # -- the single-user server ------------------------------------------------------------------

    @property
    def server_url(self) -> str:
        return f"{self.room.url}/user/{self.name}"

    def api(self, method: str, path: str, **kwargs) -> requests.Response:
        headers = {"Authorization": f"token {self.token}"}
        return requests.request(
            method, f"{self.server_url}/api{path}", headers=headers, timeout=60, **kwargs
        )

    def click_link(self, notebook: str) -> float:
        """Open the nbgitpuller link in the browser session and run its pull to the end."""
        start = time.perf_counter()
        page = self.http.get(self.room.link(notebook), timeout=60)
        self._check(page, "nbgitpuller link")
        if "git-pull" not in page.url:
            raise StudentError(f"nbgitpuller link: landed on {page.url}, not the pull page")
        query = f"repo={quote(self.room.course_url, safe='')}&branch={COURSE_BRANCH}"
        query += f"&targetpath={COURSE_REPO}"
        stream = self.http.get(f"{self.server_url}/git-pull/api?{query}", stream=True, timeout=120)
        self._check(stream, "nbgitpuller pull")
        for line in stream.iter_lines(decode_unicode=True):
            if not line.startswith("data:"):
                continue
            event = json.loads(line[len("data:") :])
            if event.get("phase") == "finished":
                return time.perf_counter() - start
            if event.get("phase") == "error":
                raise StudentError(f"nbgitpuller: {event.get('message')}"[:300])
        raise StudentError("nbgitpuller: the pull's event stream ended without finishing")

    def read(self, path: str) -> dict:
        reply = self._check(self.api("GET", f"/contents/{quote(path)}?content=1"), f"open {path}")
        return reply.json()["content"]

    def save(self, path: str, notebook: dict) -> None:
        body = {"type": "notebook", "format": "json", "content": notebook}
        self._check(self.api("PUT", f"/contents/{quote(path)}", json=body), f"save {path}")

    def open_kernel(self, path: str) -> tuple[str, Kernel]:
        body = {"path": path, "type": "notebook", "name": "", "kernel": {"name": "python3"}}
        reply = self._check(self.api("POST", "/sessions", json=body), "start kernel")
        session = reply.json()
        ws_url = self.server_url.replace("http://", "ws://", 1)
        kernel_url = f"{ws_url}/api/kernels/{session['kernel']['id']}/channels"
        return session["id"], Kernel(kernel_url, self.token, timeout=self.timeout)

    def run_all(self, kernel: Kernel, notebook: dict) -> float:
        start = time.perf_counter()
        for cell in notebook["cells"]:
            if cell["cell_type"] == "code":
                source = cell["source"]
                code = "".join(source) if isinstance(source, list) else source
                kernel.execute(code, self.deadline)
        return time.perf_counter() - start

    def move_slider(self, kernel: Kernel, moves: int = 5) -> list[float]:
        """Move a slider of the notebook's playground; seconds until each redrawn figure."""
        sliders = [
            cid
            for cid in kernel.comm_ids("FloatSliderModel")
            if not kernel.models[cid].get("disabled")
        ]
        images = kernel.comm_ids("ImageModel")
        if not sliders or not images:
            raise StudentError("slider: the notebook showed no slider and figure widget")
        slider, state = sliders[0], kernel.models[sliders[0]]
        low, high = float(state["min"]), float(state["max"])
        values = [low + (high - low) * (k + 1) / (moves + 1) for k in range(moves)]
        return [kernel.move(slider, round(v, 2), images[-1], self.deadline) for v in values]

    def shut_down_notebook(self, session_id: str, kernel: Kernel) -> None:
        kernel.close()
        self._check(self.api("DELETE", f"/sessions/{session_id}"), "shut down kernel")
