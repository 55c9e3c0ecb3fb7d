#!/usr/bin/env python3
"""Serve dist/ (the built page) on 127.0.0.1 with the right content types for the playground.

    python3 scripts/serve.py [--port N] [--dir DIR]

The port comes from --port, else $PORT, else 8000; 0 picks a free port. The first line
printed is always `gradscape: serving on http://127.0.0.1:PORT/` with the real port
(the browser tests read it). Standard library only.
"""

import argparse
import functools
import http.server
import os
import signal
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"


class Handler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".wasm": "application/wasm",
        ".js": "text/javascript",
        ".mjs": "text/javascript",
        ".json": "application/json",
        ".html": "text/html; charset=utf-8",
        ".css": "text/css; charset=utf-8",
        ".svg": "image/svg+xml",
        ".webmanifest": "application/manifest+json",
    }

    def send_head(self):
        # Never answer 304 from If-Modified-Since: its one-second resolution would hide a file
        # rebuilt in the same second as the last fetch (a new sw.js read as unchanged).
        del self.headers["If-Modified-Since"]
        return super().send_head()

    def end_headers(self):
        self.send_header("Cache-Control", "no-cache")
        # Course pages on other origins import the embed helper as a module (CORS).
        if self.path.split("?")[0].endswith("/embed.js"):
            self.send_header("Access-Control-Allow-Origin", "*")
        super().end_headers()

    def log_message(self, format, *args):
        # Quiet: only errors (4xx/5xx) are worth a line.
        pass

    def log_error(self, format, *args):
        sys.stderr.write("gradscape: %s %s\n" % (self.address_string(), format % args))


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--port",
        type=int,
        default=int(os.environ.get("PORT") or 8000),
        help="port to listen on (default: $PORT or 8000; 0 = any free port)",
    )
    parser.add_argument("--dir", default=str(ROOT / "dist"), help="directory to serve (default: dist/)")
    args = parser.parse_args()

    root = Path(args.dir)
    if not (root / "index.html").is_file():
        print(f"gradscape: no index.html in {root}; `make page` builds dist/", file=sys.stderr)
        return 1
    if args.dir == parser.get_default("dir") and not (root / "pkg").is_dir():
        print(f"gradscape: warning: {root / 'pkg'} is missing; run `make page` first (or serve www/ after `make wasm`)", file=sys.stderr)

    handler = functools.partial(Handler, directory=str(root))
    try:
        server = Server((HOST, args.port), handler)
    except OSError as e:
        print(f"gradscape: cannot listen on {HOST}:{args.port}: {e.strerror}", file=sys.stderr)
        return 1

    # SIGTERM (from the tests, or `kill`) stops as cleanly as Ctrl-C.
    signal.signal(signal.SIGTERM, _interrupt)

    port = server.server_address[1]
    print(f"gradscape: serving on http://{HOST}:{port}/", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        print("\ngradscape: stopped", flush=True)
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
