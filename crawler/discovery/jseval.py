"""A very small evaluator for the straight-line scripts of anti-bot challenge pages.

Gateways (加速乐-like) answer a first visit with a page whose script computes a cookie and
reloads: ``var _a = 3 * 7 + 4; document.cookie = "__jsl_clearance_s=" + (1700000000 + _a * 60)
+ "|" + String.fromCharCode(104, 121) + ["q", "w"].join("") + ";path=/"; location.href = …``.
This module runs such a script's declarations and assignments — numbers, strings, arrays,
``+ - * / %``, parentheses, indexing, ``.length``, ``.join``, ``.charAt``, ``.substr``/
``.substring``/``.slice``, ``.split``, ``.reverse``, ``.toString``, ``String.fromCharCode``,
``parseInt``, ``Math.floor``/``round``/``abs`` — and gives the value assigned to
``document.cookie``. Anything else (functions, loops, ``eval``, the DOM) makes a statement
unknown: no guessing, no general JavaScript engine.

    >>> script_cookie('var a = 6 * 7; document.cookie = "k=" + a + ["x", "y"].join("") + ";path=/";')
    'k=42xy;path=/'
"""

from __future__ import annotations

import math
import re
from typing import Any

from crawler.discovery.links import _top_level_split

TOKEN = re.compile(r"""\s*(?:(0x[0-9a-fA-F]+|\d+(?:\.\d+)?)|('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")|([A-Za-z_$][\w$]*)|"""
                   r"""(\+|-|\*|/|%|\(|\)|\[|\]|,|\.))""")
UNKNOWN = object()
MAX_STRING = 4096
MAX_INT = 2 ** 53  # JavaScript's numbers are doubles: Python's ints would grow without end


class _Fail(Exception):
    pass


def _tokens(expr: str) -> list[tuple[str, Any]]:
    out, pos = [], 0
    expr = expr.rstrip()
    while pos < len(expr):
        m = TOKEN.match(expr, pos)
        if m is None or m.end() == pos:
            raise _Fail(expr[pos:pos + 20])
        num, string, name, op = m.groups()
        if num is not None:
            out.append(("num", int(num, 16) if num.startswith("0x") else float(num) if "." in num else int(num)))
        elif string is not None:
            out.append(("str", _unescape(string[1:-1])))
        elif name is not None:
            out.append(("name", name))
        else:
            out.append(("op", op))
        pos = m.end()
    return out


ESCAPE = re.compile(r"\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|.)", re.DOTALL)


def _unescape(s: str) -> str:
    def one(m: re.Match) -> str:
        e = m.group(1)
        if e[0] in "xu" and len(e) > 1:
            return chr(int(e[1:], 16))
        return {"n": "\n", "t": "\t", "r": "\r", "0": "\0"}.get(e, e)
    return ESCAPE.sub(one, s) if "\\" in s else s


def _js_str(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float) and v.is_integer() and abs(v) < 1e21:
        return str(int(v))
    if isinstance(v, list):
        return ",".join(_js_str(x) for x in v)
    return str(v)


def _num(v: Any) -> int | float:
    if isinstance(v, bool):
        return int(v)
    if isinstance(v, (int, float)):
        return v
    try:
        return float(v) if "." in str(v) else int(str(v).strip() or 0)
    except ValueError as exc:
        raise _Fail(v) from exc


def _bounded(v: int | float) -> int | float:
    """An arithmetic result, refused past 2**53: ``a = a * a`` repeated made numbers of
    millions of digits (the crawl stalled); no challenge script needs them."""
    if isinstance(v, int) and abs(v) > MAX_INT:
        raise _Fail("number too large")
    return v


class _Parser:
    def __init__(self, tokens: list[tuple[str, Any]], env: dict[str, Any]):
        self.t, self.i, self.env = tokens, 0, env

    def peek(self, kind: str | None = None, value: Any = None) -> bool:
        if self.i >= len(self.t):
            return False
        k, v = self.t[self.i]
        return (kind is None or k == kind) and (value is None or v == value)

    def take(self, kind: str, value: Any = None) -> Any:
        if not self.peek(kind, value):
            raise _Fail(self.t[self.i:self.i + 1])
        self.i += 1
        return self.t[self.i - 1][1]

    def expr(self) -> Any:
        v = self.term()
        while self.peek("op", "+") or self.peek("op", "-"):
            op = self.take("op")
            w = self.term()
            if op == "+" and (isinstance(v, (str, list)) or isinstance(w, (str, list))):
                v = _js_str(v) + _js_str(w)
                if len(v) > MAX_STRING:
                    raise _Fail("too long")
            else:
                v = _bounded(_num(v) + _num(w) if op == "+" else _num(v) - _num(w))
        return v

    def term(self) -> Any:
        v = self.unary()
        while self.peek("op", "*") or self.peek("op", "/") or self.peek("op", "%"):
            op = self.take("op")
            a, b = _num(v), _num(self.unary())
            if op == "*":
                v = _bounded(a * b)
            elif b == 0:
                raise _Fail("division by zero")
            elif op == "/":
                v = a / b
                v = int(v) if float(v).is_integer() else v
            else:
                v = math.fmod(a, b)
                v = int(v) if float(v).is_integer() else v
        return v

    def unary(self) -> Any:
        if self.peek("op", "-"):
            self.take("op")
            return -_num(self.unary())
        if self.peek("op", "+"):
            self.take("op")
            return _num(self.unary())
        return self.postfix(self.primary())

    def args(self) -> list[Any]:
        self.take("op", "(")
        out = []
        while not self.peek("op", ")"):
            out.append(self.expr())
            if not self.peek("op", ")"):
                self.take("op", ",")
        self.take("op", ")")
        return out

    def primary(self) -> Any:
        if self.peek("num") or self.peek("str"):
            self.i += 1
            return self.t[self.i - 1][1]
        if self.peek("op", "("):
            self.take("op")
            v = self.expr()
            self.take("op", ")")
            return v
        if self.peek("op", "["):
            self.take("op")
            arr = []
            while not self.peek("op", "]"):
                arr.append(self.expr())
                if not self.peek("op", "]"):
                    self.take("op", ",")
            self.take("op", "]")
            return arr
        name = self.take("name")
        if name == "String" and self.peek("op", "."):
            self.take("op")
            if self.take("name") != "fromCharCode":
                raise _Fail(name)
            return "".join(chr(int(_num(c))) for c in self.args())
        if name == "Math" and self.peek("op", "."):
            self.take("op")
            fn = self.take("name")
            a = [_num(x) for x in self.args()]
            funcs = {"floor": lambda: math.floor(a[0]), "ceil": lambda: math.ceil(a[0]),
                     "round": lambda: math.floor(a[0] + 0.5), "abs": lambda: abs(a[0]),
                     "max": lambda: max(a), "min": lambda: min(a)}
            if fn not in funcs or not a:
                raise _Fail(fn)
            return funcs[fn]()
        if name in ("parseInt", "Number", "String") and self.peek("op", "("):
            a = self.args()
            if not a:
                raise _Fail(name)
            if name == "String":
                return _js_str(a[0])
            if name == "Number":
                return _num(a[0])
            m = re.match(r"\s*-?\d+", _js_str(a[0]))
            if m is None:
                raise _Fail(a)
            return int(m.group(0), int(_num(a[1])) if len(a) > 1 else 10)
        if name in ("true", "false"):
            return name == "true"
        value = self.env.get(name, UNKNOWN)
        if value is UNKNOWN:
            raise _Fail(name)
        return value

    def postfix(self, v: Any) -> Any:
        while True:
            if self.peek("op", "["):
                self.take("op")
                k = self.expr()
                self.take("op", "]")
                try:
                    v = v[int(_num(k))] if isinstance(v, (list, str)) else _Fail
                except (IndexError, ValueError) as exc:
                    raise _Fail(k) from exc
                if v is _Fail:
                    raise _Fail(k)
            elif self.peek("op", "."):
                self.take("op")
                name = self.take("name")
                if name == "length" and not self.peek("op", "("):
                    if not isinstance(v, (str, list)):
                        raise _Fail(name)
                    v = len(v)
                    continue
                a = self.args()
                v = self.method(v, name, a)
            else:
                return v

    @staticmethod
    def method(v: Any, name: str, a: list[Any]) -> Any:
        if name == "toString" and not a:
            return _js_str(v)
        if isinstance(v, list):
            if name == "join":
                return (_js_str(a[0]) if a else ",").join(_js_str(x) for x in v)
            if name == "reverse" and not a:
                return v[::-1]
            if name == "slice":
                n = [int(_num(x)) for x in a]
                return v[n[0]:n[1]] if len(n) > 1 else v[n[0]:] if n else list(v)
            raise _Fail(name)
        if isinstance(v, str):
            n = [int(_num(x)) for x in a] if name != "split" else []
            if name == "charAt":
                return v[n[0]] if n and 0 <= n[0] < len(v) else ""
            if name == "charCodeAt":
                return ord(v[n[0] if n else 0])
            if name == "substr":
                start = n[0] if n[0] >= 0 else max(len(v) + n[0], 0)
                return v[start:start + n[1]] if len(n) > 1 else v[start:]
            if name in ("substring", "slice"):
                if name == "substring":
                    n = sorted(max(x, 0) for x in n)
                return v[n[0]:n[1]] if len(n) > 1 else v[n[0]:]
            if name == "split" and a:
                sep = _js_str(a[0])
                return list(v) if sep == "" else v.split(sep)
            if name in ("toLowerCase", "toUpperCase"):
                return v.lower() if name == "toLowerCase" else v.upper()
            raise _Fail(name)
        raise _Fail(name)


def js_value(expr: str, env: dict[str, Any] | None = None) -> Any:
    """The value of one expression, or :data:`UNKNOWN` when it uses anything not supported."""
    try:
        p = _Parser(_tokens(expr), env or {})
        v = p.expr()
        if p.i != len(p.t):
            return UNKNOWN
        return v
    except (_Fail, RecursionError, OverflowError, ValueError, TypeError):
        return UNKNOWN


def _statements(code: str) -> list[str]:
    """Top-level statements (split at ``;`` and newlines outside strings and brackets)."""
    out, buf, depth, quote, i = [], [], 0, "", 0
    while i < len(code):
        c = code[i]
        if quote:
            buf.append(c)
            if c == "\\" and i + 1 < len(code):
                buf.append(code[i + 1])
                i += 1
            elif c == quote:
                quote = ""
        elif c in "'\"":
            quote = c
            buf.append(c)
        elif c in "([{":
            depth += 1
            buf.append(c)
        elif c in ")]}":
            depth -= 1
            buf.append(c)
        elif c in ";\n" and depth <= 0:
            out.append("".join(buf).strip())
            buf = []
        else:
            buf.append(c)
        i += 1
    out.append("".join(buf).strip())
    return [s for s in out if s]


ASSIGN = re.compile(r"^(?:(?:var|let|const)\s+)?([A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)?)\s*=(?!=)\s*(.*)$", re.DOTALL)


def script_cookie(code: str, limit: int = 200) -> str | None:
    """Run a challenge script's straight-line statements; the last value it assigns to
    ``document.cookie`` (None when none could be computed)."""
    env: dict[str, Any] = {}
    cookie = None
    for stmt in _statements(code)[:limit]:
        decl = re.match(r"^(var|let|const)\s+", stmt)
        pieces = _top_level_split(stmt[decl.end():], ",") if decl else [stmt]
        for piece in pieces:
            m = ASSIGN.match(piece.strip() if not decl else piece.strip())
            if m is None:
                continue
            name, value = m.group(1), js_value(m.group(2), env)
            if name == "document.cookie":
                if isinstance(value, (str, int, float)) and value is not UNKNOWN:
                    cookie = _js_str(value)
            elif "." not in name:
                if value is UNKNOWN:
                    env.pop(name, None)
                else:
                    env[name] = value
    return cookie
