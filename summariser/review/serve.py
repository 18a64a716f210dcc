"""Serving the review page on this machine's loopback address, and nowhere else unless asked."""

from __future__ import annotations

import ipaddress
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from summariser.errors import SummariserError
from summariser.jobs.review import ReviewOptions


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def bind(host: str, port: int, allow_remote: bool = False) -> socket.socket:
    """A listening socket on `host`:`port` (port 0: any free one). A host other than a loopback
    address is refused unless `allow_remote`: the page shows respondents' words and ids."""
    if not is_loopback(host) and not allow_remote:
        raise SummariserError(f"--host {host} would show respondents' answers to other machines; "
                              "use 127.0.0.1 (the default), or add --allow-remote if that is "
                              "what you mean")
    try:
        info = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
        sock = socket.socket(info[0], socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(info[4])
        sock.listen(64)
    except OSError as exc:
        raise SummariserError(f"Cannot serve on {host}:{port} ({exc.strerror}); choose another "
                              "port with --port") from None
    return sock


def serve(options: ReviewOptions, sock: socket.socket, allow_remote: bool = False,
          ready: Callable[[str], None] = lambda url: None) -> None:
    """Serve the page on `sock` until interrupted; `ready` is told its address first."""
    import uvicorn

    from summariser.review.app import LOOPBACK, make_app

    host, port = sock.getsockname()[:2]
    hosts = None if allow_remote else LOOPBACK | {host}
    config = uvicorn.Config(make_app(options, hosts), log_level="warning", access_log=False)
    shown = f"[{host}]" if ":" in host else host
    ready(f"http://{shown}:{port}/")
    uvicorn.Server(config).run(sockets=[sock])


@contextmanager
def serving(options: ReviewOptions, sock: socket.socket) -> Iterator[str]:
    """Serve the page on `sock` in a thread while the block runs (tests, benchmarks); yields its
    address."""
    import uvicorn

    from summariser.review.app import make_app

    host, port = sock.getsockname()[:2]
    server = uvicorn.Server(uvicorn.Config(make_app(options), log_level="warning",
                                           access_log=False))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started and thread.is_alive() and time.monotonic() < deadline:
        time.sleep(0.05)
    try:
        yield f"http://{host}:{port}/"
    finally:
        server.should_exit = True
        thread.join(timeout=30)
