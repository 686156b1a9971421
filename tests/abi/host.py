#!/usr/bin/env python3
"""A Python host of libconcord.so through ctypes: opens the rulesets folder, evaluates one
FHIR record at 2021-11-01 and checks the merged review in the contract JSON.

Usage: host.py LIBCONCORD_SO RULESETS_DIR RECORD.json
"""
import ctypes
import json
import sys

CONCORD_OK = 0


def load(path):
    lib = ctypes.CDLL(path)
    runtime_p = ctypes.c_void_p
    lib.concord_abi_version.restype = ctypes.c_int
    lib.concord_abi_version.argtypes = []
    lib.concord_errstr.restype = ctypes.c_char_p
    lib.concord_errstr.argtypes = [ctypes.c_int]
    lib.concord_errmsg.restype = ctypes.c_char_p
    lib.concord_errmsg.argtypes = [runtime_p]
    lib.concord_open.restype = ctypes.c_int
    lib.concord_open.argtypes = [ctypes.c_char_p, ctypes.c_size_t, ctypes.POINTER(runtime_p)]
    lib.concord_evaluate.restype = ctypes.c_int
    lib.concord_evaluate.argtypes = [runtime_p, ctypes.c_char_p, ctypes.c_size_t,
                                     ctypes.c_char_p, ctypes.POINTER(ctypes.c_void_p)]
    # c_void_p, not c_char_p: ctypes would copy a c_char_p up to the first NUL and lose the
    # pointer; the explicit length is what counts.
    lib.concord_result_json.restype = ctypes.c_void_p
    lib.concord_result_json.argtypes = [ctypes.c_void_p, ctypes.POINTER(ctypes.c_size_t)]
    lib.concord_result_free.restype = None
    lib.concord_result_free.argtypes = [ctypes.c_void_p]
    lib.concord_close.restype = None
    lib.concord_close.argtypes = [runtime_p]
    return lib


def fail(lib, what, status, runtime):
    message = lib.concord_errmsg(runtime).decode("utf-8", "replace")
    sys.exit(f"{what}: {lib.concord_errstr(status).decode()}: {message}")


def main(argv):
    if len(argv) != 4:
        sys.exit(__doc__)
    lib = load(argv[1])
    if lib.concord_abi_version() != 1:
        sys.exit(f"unexpected ABI version {lib.concord_abi_version()}")

    rulesets = argv[2].encode()
    runtime = ctypes.c_void_p()
    status = lib.concord_open(rulesets, len(rulesets), ctypes.byref(runtime))
    if status != CONCORD_OK:
        fail(lib, "concord_open", status, runtime)
    try:
        with open(argv[3], "rb") as f:
            record = f.read()
        result = ctypes.c_void_p()
        status = lib.concord_evaluate(runtime, record, len(record), b"2021-11-01",
                                      ctypes.byref(result))
        if status != CONCORD_OK:
            fail(lib, "concord_evaluate", status, runtime)
        try:
            size = ctypes.c_size_t()
            text = ctypes.string_at(lib.concord_result_json(result, ctypes.byref(size)),
                                    size.value).decode("utf-8")
        finally:
            lib.concord_result_free(result)
    finally:
        lib.concord_close(runtime)

    print(text, end="")
    lines = text.splitlines()
    if len(lines) != 1:
        sys.exit(f"expected one record, got {len(lines)}")
    output = json.loads(lines[0])
    review = output.get("review") or {}
    if review.get("kind") != "merged":
        sys.exit(f"expected a merged review, got {review.get('kind')!r}")
    if review.get("checks", []).count("bp") != 1:
        sys.exit(f"expected 'bp' once in review.checks, got {review.get('checks')}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
