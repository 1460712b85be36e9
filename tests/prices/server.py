#!/usr/bin/env python3
"""server.py DIR [CERT KEY] — the price list server of tests/run-prices.sh.

Listens on 127.0.0.1 on ephemeral ports and prints them on one line,
"HTTP_PORT HTTPS_PORT STUCK_PORT" (HTTPS_PORT is 0 without CERT and KEY), then
serves until killed, or for 300 seconds at most. What each answer does is
chosen by the path:

  /ok/NAME          the file DIR/NAME, with Content-Length
  /chunked/NAME     the same, chunked (no Content-Length)
  /cut/NAME         Content-Length of the whole file, then half of it, then close
  /cut-chunked/NAME chunked, half of the file, then close (no last chunk)
  /stall/NAME       the first 1000 bytes, then nothing (the connection stays open)
  /slow/NAME        the file in 20 pieces over about 1.2 seconds
  /status/CODE      that HTTP status, with a small HTML body
  /redirect/N/REST  302 to /redirect/N-1/REST, and /redirect/0/REST to /REST
  /location?URL     302 to URL
  /long-location    302 to an https URL of 3000 characters
  /html             200 with an HTML page
  /empty            200 with no body
  /nothing          closes the connection without answering
  /garbage          answers with a line that is not HTTP

HTTPS_PORT serves the same paths over TLS with CERT (self-signed: hpcc-prices
must refuse it). STUCK_PORT accepts one connection and no other: its listen
queue is full, so a connection attempt waits until the client gives up (the
connect timeout).
"""
import http.server
import os
import socket
import ssl
import sys
import threading
import time
import urllib.parse

ROOT = sys.argv[1]


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    def body_of(self, name):
        path = os.path.join(ROOT, os.path.basename(name))
        with open(path, "rb") as f:
            return f.read()

    def head(self, code, length=None, extra=()):
        self.send_response(code)
        self.send_header("Content-Type", "text/csv")
        if length is not None:
            self.send_header("Content-Length", str(length))
        for k, v in extra:
            self.send_header(k, v)
        self.end_headers()

    def do_GET(self):
        parts = self.path.split("/")
        kind = parts[1] if len(parts) > 1 else ""
        rest = "/".join(parts[2:])
        try:
            if kind == "ok":
                data = self.body_of(rest)
                self.head(200, len(data))
                self.wfile.write(data)
            elif kind == "chunked":
                data = self.body_of(rest)
                self.head(200, None, [("Transfer-Encoding", "chunked")])
                for i in range(0, len(data), 4096):
                    piece = data[i:i + 4096]
                    self.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece))
                self.wfile.write(b"0\r\n\r\n")
            elif kind == "cut":
                data = self.body_of(rest)
                self.head(200, len(data), [("Connection", "close")])
                self.wfile.write(data[: len(data) // 2])
                self.wfile.flush()
                self.close_connection = True
            elif kind == "cut-chunked":
                data = self.body_of(rest)
                self.head(200, None, [("Transfer-Encoding", "chunked"), ("Connection", "close")])
                half = data[: len(data) // 2]
                self.wfile.write(b"%x\r\n%s\r\n" % (len(half), half))
                self.wfile.flush()
                self.close_connection = True
            elif kind == "nothing":
                self.close_connection = True
            elif kind == "garbage":
                self.wfile.write(b"HELLO THERE\r\n\r\n")
                self.close_connection = True
            elif kind == "stall":
                data = self.body_of(rest)
                self.head(200, len(data))
                self.wfile.write(data[:1000])
                self.wfile.flush()
                time.sleep(30)
                self.close_connection = True
            elif kind == "slow":
                data = self.body_of(rest)
                self.head(200, len(data))
                step = len(data) // 20 + 1
                for i in range(0, len(data), step):
                    self.wfile.write(data[i:i + step])
                    self.wfile.flush()
                    time.sleep(0.06)
            elif kind == "status":
                code = int(rest)
                page = b"<html><body><h1>%d</h1></body></html>\n" % code
                self.head(code, len(page))
                self.wfile.write(page)
            elif kind == "redirect":
                n, _, target = rest.partition("/")
                n = int(n)
                where = "/redirect/%d/%s" % (n - 1, target) if n > 0 else "/" + target
                self.head(302, 0, [("Location", where)])
            elif kind.startswith("location"):
                where = urllib.parse.unquote(self.path.partition("?")[2])
                self.head(302, 0, [("Location", where)])
            elif kind == "long-location":
                self.head(302, 0, [("Location", "https://example.com/" + "x" * 2980)])
            elif kind == "html":
                page = b"<!DOCTYPE html>\n<html><head><title>Pricing</title></head><body>Hello</body></html>\n"
                self.head(200, len(page))
                self.wfile.write(page)
            elif kind == "empty":
                self.head(200, 0)
            else:
                self.head(404, 0)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        pass  # clients that hang up early are what several cases are about


def main():
    http_srv = Server(("127.0.0.1", 0), Handler)
    https_port = 0
    servers = [http_srv]
    if len(sys.argv) == 4:
        https_srv = Server(("127.0.0.1", 0), Handler)
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(sys.argv[2], sys.argv[3])
        https_srv.socket = ctx.wrap_socket(https_srv.socket, server_side=True)
        https_port = https_srv.server_address[1]
        servers.append(https_srv)
    # A listener whose queue is full: one connection waits in it, never accepted.
    stuck = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    stuck.bind(("127.0.0.1", 0))
    stuck.listen(0)
    filler = socket.create_connection(stuck.getsockname())
    for s in servers:
        threading.Thread(target=s.serve_forever, daemon=True).start()
    print(http_srv.server_address[1], https_port, stuck.getsockname()[1], flush=True)
    time.sleep(300)
    filler.close()


if __name__ == "__main__":
    main()
