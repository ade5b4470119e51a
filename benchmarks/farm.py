"""Serve a large farm of sample sites from one process without one polling thread per site.

    .venv/bin/python -m benchmarks.farm --sites DIR

``python -m oitwatch.sampleserver`` runs ``serve_forever`` in a thread per site, each waking
every 0.05 s to check for shutdown: right for ten sample sites, but 2,000 sites make 40,000
wake-ups a second fighting for the GIL (a load average in the hundreds on 2 cores, and the
crawlers measured against a starved server). Here one thread waits on every listening
socket with epoll and hands each new connection to ``ThreadingHTTPServer``'s own
per-connection thread, so the sites answer exactly as the sample server's (same handler,
same files) and an idle farm costs nothing. Prints the same lines as the sample server
("name url status", then "Serving"), so benchmarks read it the same way.
"""

from __future__ import annotations

import argparse
import selectors
import signal
import socket
import sys
import threading
from pathlib import Path

from oitwatch.sampleserver import (  # the sample server's own parts: same answers
    SampleServer,
    SampleSite,
    _Handler,
    _QuietServer,
    _SiteRuntime,
    load_site_config,
)


class FarmServer(SampleServer):
    """SampleServer whose sites share one epoll loop instead of a thread each."""

    def start(self) -> FarmServer:
        if self._sites:
            return self
        try:
            for site_dir in self.site_dirs():
                config = load_site_config(site_dir)
                if (config.get("dynamic") or {}).get("unreachable"):
                    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
                    sock.bind((self.host, 0))  # bound, never listening: connection refused
                    self._dead_sockets.append(sock)
                    port = sock.getsockname()[1]
                else:
                    runtime = _SiteRuntime(site_dir, config)
                    self._runtimes[site_dir.name] = runtime
                    handler = type(f"Handler_{site_dir.name}", (_Handler,), {"site": runtime})
                    server = _QuietServer((self.host, 0), handler)
                    self._servers.append(server)
                    port = server.server_address[1]
                self._sites.append(SampleSite(
                    name=site_dir.name, url=f"http://{self.host}:{port}/", config=config,
                    expected=config["expected"], root=site_dir))
        except BaseException:
            self.stop()
            raise
        self._stop_loop = threading.Event()
        self._loop = threading.Thread(target=self._serve_all, name="farm", daemon=True)
        self._loop.start()
        return self

    def _serve_all(self) -> None:
        with selectors.DefaultSelector() as selector:
            for server in self._servers:
                selector.register(server, selectors.EVENT_READ, server)
            while not self._stop_loop.is_set():
                for key, _ in selector.select(timeout=1.0):
                    key.data._handle_request_noblock()  # accept; a thread per connection

    def stop(self) -> None:
        loop = getattr(self, "_loop", None)
        if loop is not None:
            self._stop_loop.set()
            loop.join(timeout=5)
            self._loop = None
        for server in self._servers:
            server.server_close()
        self._servers.clear()  # no serve_forever to shut down
        super().stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.farm", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sites", type=Path, required=True)
    parser.add_argument("--host", default="127.0.0.1")
    args = parser.parse_args(argv)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    with FarmServer(args.sites, host=args.host) as farm:
        for site in farm.sites:
            print(f"{site.name:<16} {site.url:<28} {site.expected_site_status:<11}", flush=True)
        print("Serving; SIGTERM to stop.", flush=True)
        stop.wait()
    return 0


if __name__ == "__main__":
    sys.exit(main())
