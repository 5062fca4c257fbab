"""--scheduler local:N is private: TLS with temporary credentials, loopback only, no HTTP unless asked.

Another user of the machine (a subprocess under uid ``nobody``) who learns the scheduler's
address must not be able to run code as the run's user. The same intruder script against an
open cluster (no security) does run its code: the check can fail.
"""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import textwrap

import pytest

pytest.importorskip("distributed")
pytest.importorskip("cryptography")

from planaura_plugin.runs.dask.cluster import LOOPBACK, connect, parse_scheduler  # noqa: E402

INTRUDER = textwrap.dedent("""
    import sys
    from distributed import Client
    from distributed.security import Security
    address, marker = sys.argv[1], sys.argv[2]

    def plant(path):
        open(path, "w").write("ran")
        return "planted"

    attempts = [(address, Security.temporary()), (address.replace("tls://", "tcp://"), None)]
    if address.startswith("tcp://"):  # the control: a plain scheduler, plainly
        attempts = [(address, None)]
    for addr, security in attempts:
        try:
            client = Client(addr, security=security, timeout="3s")
        except BaseException as exc:
            print("refused", addr, type(exc).__name__)
            continue
        print(client.submit(plant, marker, pure=False).result(timeout=10))
        client.close()
""")


def _as_nobody():
    import pwd

    try:
        user = pwd.getpwnam("nobody")
    except KeyError:
        pytest.skip("no user 'nobody' on this machine")
    if os.geteuid() != 0:
        pytest.skip("running a process as another user needs root")

    def switch() -> None:
        os.setgroups([])
        os.setgid(user.pw_gid)
        os.setuid(user.pw_uid)
    return switch


def _intrude(address: str, marker: str) -> str:
    proc = subprocess.run([sys.executable, "-c", INTRUDER, address, marker], preexec_fn=_as_nobody(), cwd="/",
                          capture_output=True, text=True, timeout=60)
    return proc.stdout + proc.stderr


@pytest.fixture
def shared_dir():
    """A folder in /tmp that the intruder may write (pytest's tmp_path is private to root)."""
    import shutil
    import tempfile
    from pathlib import Path

    folder = Path(tempfile.mkdtemp(prefix="planaura-intruder-", dir="/tmp"))
    os.chmod(folder, 0o777)  # only the cluster's refusal can stop the intruder's file
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def test_another_user_cannot_run_code_on_the_local_cluster(shared_dir):
    switch = _as_nobody()  # noqa: F841 - skips early when impossible
    client, cluster = connect(parse_scheduler("local:1"))
    try:
        address = client.scheduler.address
        assert address.startswith(f"tls://{LOOPBACK}:"), address
        assert client.submit(lambda x: x + 1, 1).result() == 2  # the run itself uses it
        marker = shared_dir / "private"
        out = _intrude(address, str(marker))
        assert not marker.exists(), out
        assert out.count("refused") == 2, out
    finally:
        client.close()
        cluster.close()


def test_the_intruder_script_does_run_code_on_an_open_cluster(shared_dir):
    """Control: the same script, a cluster without TLS: its code runs (so the test above can fail)."""
    from distributed import Client, LocalCluster

    _as_nobody()
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=True, host=LOOPBACK,
                      dashboard_address=None) as cluster, Client(cluster):
        marker = shared_dir / "open"
        # its plain tcp:// address: a TLS hello sent first to a tcp:// scheduler is read as a frame length
        # (distributed then tries to allocate petabytes) and now and then left the scheduler deaf to the
        # script's tcp:// attempt that followed (1 run in 3 timed out under load)
        out = _intrude(cluster.scheduler_address, str(marker))
        assert marker.exists() and marker.read_text() == "ran", out


def _listening(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex((LOOPBACK, port)) == 0


def test_no_http_unless_the_dashboard_is_asked_for_then_on_loopback_only():
    client, cluster = connect(parse_scheduler("local:1"))
    try:
        ports = [cluster.scheduler.http_server.port]
        ports += list(client.run(lambda dask_worker: dask_worker.http_server.port).values())
        assert not any(_listening(p) for p in ports), ports
        assert not _listening(8787) or all(p != 8787 for p in ports)
    finally:
        client.close()
        cluster.close()
    client, cluster = connect(parse_scheduler("local:1"), dashboard=True)
    try:
        link = str(client.dashboard_link)
        port = cluster.scheduler.http_server.port
        assert link.startswith(f"http://{LOOPBACK}:{port}/"), link
        assert _listening(port)
        bound = {sock.getsockname()[0] for sock in cluster.scheduler.http_server._sockets.values()}
        assert bound == {LOOPBACK}, bound
    finally:
        client.close()
        cluster.close()
