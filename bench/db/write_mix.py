"""Write mix for bench/db/run: sign-ups and profile edits posted as real forms (GET the
form, take its CSRF token, POST it), by WORKERS threads against one or more Verbund
nodes, for SECONDS. Prints transactions per second (successful POSTs).

  python3 write_mix.py --nodes http://127.0.0.1:P1[,http://127.0.0.1:P2] \
      --editors FILE --seconds 10 [--workers 8] [--tag sqlite1]

FILE has one line per editor: "EMAIL ORG_ID" (password PASSWORD below); each worker edits the
organisation of its own editor (no two workers share a row, so there are no version
conflicts to count). Worker i talks to node i mod len(nodes). Every iteration is one
sign-up (new address, 200 = account created, confirmation mail queued in the same
transaction) and one edit of the short description (303 = saved, search text
re-indexed, directory generation bumped). Only the standard library; keep-alive
connections; only 127.0.0.1.
"""

import argparse
import html
import html.parser
import http.client
import re
import sys
import threading
import time
import urllib.parse
import uuid

PASSWORD = "Wolken über Kassel 2024"


class FormFields(html.parser.HTMLParser):
    """The successful controls of the first form whose action is `action`."""

    def __init__(self, action):
        super().__init__(convert_charrefs=True)
        self.action = action
        self.inside = False
        self.done = False
        self.fields = []
        self._textarea = None
        self._select = None
        self._select_value = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and not self.done and a.get("action") == self.action:
            self.inside = True
        if not self.inside:
            return
        if tag == "input" and a.get("name"):
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self.fields.append((a["name"], a.get("value", "on")))
            elif kind not in ("submit", "button", "file"):
                self.fields.append((a["name"], a.get("value", "")))
        elif tag == "textarea" and a.get("name"):
            self._textarea = [a["name"], ""]
        elif tag == "select" and a.get("name"):
            self._select, self._select_value = a["name"], None
        elif tag == "option" and self._select is not None:
            # The selected option, else the first one (as a browser sends it).
            chosen = self._select_value is not None and self._select_value[1]
            if "selected" in a and not chosen:
                self._select_value = (a.get("value", ""), True)
            elif self._select_value is None:
                self._select_value = (a.get("value", ""), False)

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if not self.inside:
            return
        if tag == "textarea" and self._textarea is not None:
            self.fields.append(tuple(self._textarea))
            self._textarea = None
        elif tag == "select" and self._select is not None:
            if self._select_value is not None:
                self.fields.append((self._select, self._select_value[0]))
            self._select = None
        elif tag == "form":
            self.inside = False
            self.done = True


class Node:
    """A keep-alive connection to one node with a cookie jar (one per worker)."""

    def __init__(self, base):
        u = urllib.parse.urlsplit(base)
        if u.hostname != "127.0.0.1":
            raise SystemExit("write_mix: only 127.0.0.1 (got %s)" % base)
        self.host, self.port = u.hostname, u.port
        self.conn = None
        self.cookies = {}

    def request(self, method, path, fields=None):
        headers = {}
        body = None
        if self.cookies:
            headers["Cookie"] = "; ".join("%s=%s" % kv for kv in self.cookies.items())
        if fields is not None:
            body = urllib.parse.urlencode(fields).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        for attempt in range(2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
            try:
                self.conn.request(method, path, body=body, headers=headers)
                r = self.conn.getresponse()
                data = r.read().decode("utf-8", "replace")
                break
            except (http.client.HTTPException, OSError):
                self.conn.close()
                self.conn = None
                if attempt:
                    raise
        for k, v in r.getheaders():
            if k.lower() == "set-cookie":
                name, _, rest = v.partition("=")
                value = rest.split(";", 1)[0]
                if value and "max-age=0" not in v.lower():
                    self.cookies[name] = value
                else:
                    self.cookies.pop(name, None)
            if k.lower() == "connection" and v.lower() == "close":
                self.conn.close()
                self.conn = None
        return r.status, data


CSRF_RE = re.compile(r'<input type="hidden" name="csrf" value="([^"]*)"')


def csrf(page):
    m = CSRF_RE.search(page)
    if not m:
        raise RuntimeError("no csrf token in page")
    return html.unescape(m.group(1))


def worker(i, base, editor, deadline, counts, errors, lock):
    email, org_id = editor
    password = PASSWORD
    edit_path = "/meine-organisationen/%s" % org_id
    editor_node = Node(base)
    status, page = editor_node.request("GET", "/anmelden")
    status, _ = editor_node.request("POST", "/anmelden",
                                    {"csrf": csrf(page), "email": email, "password": password})
    if status != 303:
        with lock:
            errors.append("worker %d: log-in of %s gave %d" % (i, email, status))
        return
    visitor = Node(base)
    n = 0
    local = {"signup": 0, "edit": 0, "failed": 0}
    while time.monotonic() < deadline and n < 1_000_000:  # bounded
        n += 1
        # A sign-up.
        status, page = visitor.request("GET", "/registrieren")
        addr = "bench-%s@example.org" % uuid.uuid4().hex[:16]
        status, _ = visitor.request("POST", "/registrieren", {
            "csrf": csrf(page), "display_name": "Bench Person %d" % n, "email": addr,
            "password": PASSWORD, "password_repeat": PASSWORD})
        local["signup" if status == 200 else "failed"] += 1
        if status != 200 and len(errors) < 20:
            with lock:
                errors.append("worker %d: sign-up gave %d" % (i, status))
        if time.monotonic() >= deadline:
            break
        # A profile edit: the form as shown, with a new short description.
        status, page = editor_node.request("GET", edit_path)
        p = FormFields(edit_path)
        p.feed(page)
        fields = [(k, v) for k, v in p.fields if k not in ("aktion", "reply")]
        fields = [(k, ("Offener Treff für Familien, Beratung und Begleitung (Stand %d/%d)."
                       % (i, n)) if k == "short_description" else v) for k, v in fields]
        status, _ = editor_node.request("POST", edit_path, fields)
        local["edit" if status == 303 else "failed"] += 1
        if status != 303 and len(errors) < 20:
            with lock:
                errors.append("worker %d: edit gave %d" % (i, status))
    with lock:
        for k, v in local.items():
            counts[k] += v


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--nodes", required=True)
    ap.add_argument("--editors", required=True)
    ap.add_argument("--seconds", type=float, default=10)
    ap.add_argument("--workers", type=int, default=8)
    ap.add_argument("--tag", default="")
    a = ap.parse_args()
    nodes = [n for n in a.nodes.split(",") if n]
    editors = [l.split() for l in open(a.editors) if l.strip()]
    if len(editors) < a.workers:
        raise SystemExit("write_mix: %d editors for %d workers" % (len(editors), a.workers))
    counts = {"signup": 0, "edit": 0, "failed": 0}
    errors = []
    lock = threading.Lock()
    start = time.monotonic()
    deadline = start + a.seconds
    threads = [threading.Thread(target=worker, daemon=True,
                                args=(i, nodes[i % len(nodes)], editors[i], deadline, counts,
                                      errors, lock))
               for i in range(a.workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(a.seconds + 60)
    elapsed = time.monotonic() - start
    ok = counts["signup"] + counts["edit"]
    print("write mix %s: nodes %d workers %d seconds %.1f signups %d edits %d failed %d tx/s %.1f"
          % (a.tag, len(nodes), a.workers, elapsed, counts["signup"], counts["edit"],
             counts["failed"], ok / elapsed))
    for e in errors[:10]:
        print("  problem: " + e)
    return 0


if __name__ == "__main__":
    sys.exit(main())
