#!/usr/bin/env python3
"""A stand-in for the Hugging Face Hub on 127.0.0.1, for emo's `models pull` tests (standard library only).

hub_server.py ROOT [--flaky FILE] [--corrupt FILE] serves ROOT/ORG/NAME/<files> as the repository ORG/NAME:
  GET /api/models/ORG/NAME/revision/REV   {"sha": ..., "siblings": [{"rfilename", "size", "blobId", "lfs"?}]}
  GET /ORG/NAME/resolve/REV/FILE          the file, with Range requests answered 206
Files ending in .safetensors or .bin are described as LFS files (sha256), others by their git blob id. --flaky makes
the first download of FILE stop halfway (the client must resume); --corrupt serves FILE with one byte changed.
Prints "PORT PID" on its first line, then serves until killed.
"""
import argparse
import hashlib
import json
import os
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

COMMIT = "0123456789abcdef0123456789abcdef01234567"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("root")
    parser.add_argument("--flaky", default="")
    parser.add_argument("--corrupt", default="")
    args = parser.parse_args()
    state = {"flaky_done": False}

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *a):
            pass

        def send(self, status, body, headers=()):
            self.send_response(status)
            for k, v in headers:
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self):
            path = self.path.split("?")[0]
            parts = path.strip("/").split("/")
            if len(parts) == 6 and parts[:2] == ["api", "models"] and parts[4] == "revision":
                repo_dir = os.path.join(args.root, parts[2], parts[3])
                if not os.path.isdir(repo_dir) or parts[5] not in ("main", "v1"):
                    return self.send(404, b'{"error": "Repository not found"}')
                siblings = []
                for name in sorted(os.listdir(repo_dir)):
                    data = open(os.path.join(repo_dir, name), "rb").read()
                    entry = {"rfilename": name, "size": len(data),
                             "blobId": hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()}
                    if name.endswith((".safetensors", ".bin")):
                        entry["lfs"] = {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data),
                                        "pointerSize": 134}
                    siblings.append(entry)
                return self.send(200, json.dumps({"sha": COMMIT, "siblings": siblings}).encode())
            if len(parts) == 5 and parts[2] == "resolve":
                file = os.path.join(args.root, parts[0], parts[1], parts[4])
                if parts[3] != COMMIT or not os.path.isfile(file):
                    return self.send(404, b"Entry not found")
                data = open(file, "rb").read()
                if parts[4] == args.corrupt:
                    data = data[:-1] + bytes([data[-1] ^ 1])
                start = 0
                if self.headers.get("Range", "").startswith("bytes="):
                    start = int(self.headers["Range"][6:].split("-")[0])
                if parts[4] == args.flaky and not state["flaky_done"]:
                    state["flaky_done"] = True  # promise the whole file, send half, hang up
                    self.send_response(200)
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data[: len(data) // 2])
                    self.wfile.flush()
                    self.connection.shutdown(2)
                    return
                if start:
                    return self.send(206, data[start:], [("Content-Range", f"bytes {start}-{len(data) - 1}/{len(data)}")])
                return self.send(200, data)
            return self.send(404, b"not found")

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    print(server.server_address[1], os.getpid(), flush=True)
    server.serve_forever()


if __name__ == "__main__":
    sys.exit(main())
