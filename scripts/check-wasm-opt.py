#!/usr/bin/env python3
"""Check that wasm-opt kept each exported table pointing at a table of the same type.

    python3 scripts/check-wasm-opt.py BEFORE.wasm AFTER.wasm

Some binaryen releases (Debian bookworm's 108 among them, binaryen issue #4711) re-bind
wasm-bindgen's exported externref table (`__wbindgen_externrefs`) to the funcref table when
they rewrite a module; the page then fails at start-up with a WebAssembly.Table error.
Exits 0 when every exported table has the same element type before and after, 1 (with the
differences on stderr) otherwise. Standard library only.
"""

import sys

REFTYPES = {0x70: "funcref", 0x6F: "externref"}


def leb(b: bytes, i: int) -> tuple[int, int]:
    r = s = 0
    while True:
        x = b[i]
        i += 1
        r |= (x & 0x7F) << s
        s += 7
        if x < 0x80:
            return r, i


def name(b: bytes, i: int) -> tuple[str, int]:
    n, i = leb(b, i)
    return b[i : i + n].decode("utf-8", "replace"), i + n


def skip_limits(b: bytes, i: int) -> int:
    flags = b[i]
    i += 1
    _, i = leb(b, i)
    if flags & 1:
        _, i = leb(b, i)
    return i


def reftype(b: bytes, i: int) -> tuple[str, int]:
    t = b[i]
    if t in (0x63, 0x64):  # (ref null? heaptype)
        h, j = leb(b, i + 1)
        return f"ref{'null' if t == 0x63 else ''}:{h}", j
    return REFTYPES.get(t, hex(t)), i + 1


def exported_tables(path: str) -> dict[str, str]:
    b = open(path, "rb").read()
    if b[:4] != b"\0asm":
        raise ValueError(f"{path}: not a wasm module")
    tables: list[str] = []
    exports: dict[str, int] = {}
    i = 8
    while i < len(b):
        sid = b[i]
        size, i = leb(b, i + 1)
        end = i + size
        if sid == 2:  # imports
            n, j = leb(b, i)
            for _ in range(n):
                _, j = name(b, j)
                _, j = name(b, j)
                kind = b[j]
                j += 1
                if kind == 0:  # func
                    _, j = leb(b, j)
                elif kind == 1:  # table
                    t, j = reftype(b, j)
                    tables.append(t)
                    j = skip_limits(b, j)
                elif kind == 2:  # memory
                    j = skip_limits(b, j)
                elif kind == 3:  # global
                    _, j = reftype(b, j)
                    j += 1
                elif kind == 4:  # tag
                    j += 1
                    _, j = leb(b, j)
                else:
                    raise ValueError(f"{path}: unknown import kind {kind}")
        elif sid == 4:  # tables
            n, j = leb(b, i)
            for _ in range(n):
                if b[j] == 0x40:  # table with an initialiser: type is all we need
                    t, _ = reftype(b, j + 2)
                    tables.append(t)
                    break
                t, j = reftype(b, j)
                tables.append(t)
                j = skip_limits(b, j)
        elif sid == 7:  # exports
            n, j = leb(b, i)
            for _ in range(n):
                nm, j = name(b, j)
                kind = b[j]
                idx, j = leb(b, j + 1)
                if kind == 1:
                    exports[nm] = idx
        i = end
    return {nm: (tables[idx] if idx < len(tables) else f"bad index {idx}") for nm, idx in exports.items()}


def main() -> int:
    if len(sys.argv) != 3:
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    before, after = (exported_tables(p) for p in sys.argv[1:])
    bad = [f"  export {nm!r}: {before[nm]} before, {after.get(nm, 'missing')} after" for nm in before if after.get(nm) != before[nm]]
    if bad:
        print("wasm-opt changed exported tables:\n" + "\n".join(bad), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
