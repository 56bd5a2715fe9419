"""Structured logs: one JSON object per line, with `job_id` where there is one.

Personal data never goes into a log line: no staff names, no free text from the input, no request bodies.
Only ids chosen by the service (job ids), counts, timings, status codes and error codes are logged.
"""

from __future__ import annotations

import json
import logging
import sys
import time

_FIELDS = (
    "job_id",
    "attempt",
    "status",
    "method",
    "path",
    "http_status",
    "ms",
    "code",
    "pid",
    "objective",
    "bound",
    "elapsed_s",
    "time_limit_s",
    "count",
    "exitcode",
)


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        out = {
            "ts": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created)) + f".{int(record.msecs):03d}Z",
            "level": record.levelname.lower(),
            "logger": record.name,
            "event": record.getMessage(),
        }
        for key in _FIELDS:
            if hasattr(record, key):
                out[key] = getattr(record, key)
        if record.exc_info and record.exc_info[0] is not None:
            out["exc_type"] = record.exc_info[0].__name__  # the type only: messages may quote input data
        return json.dumps(out, separators=(",", ":"), default=str)


def setup_logging(level: int = logging.INFO, stream=None, names: tuple[str, ...] = ("turnus",)) -> None:
    """JSON lines on stderr for the `turnus` loggers (and e.g. `uvicorn`, so its tracebacks are reduced to
    the exception type too). Idempotent."""
    for name in names:
        logger = logging.getLogger(name)
        if any(getattr(h, "_turnus_json", False) for h in logger.handlers):
            continue
        for h in list(logger.handlers):
            logger.removeHandler(h)
        handler = logging.StreamHandler(stream or sys.stderr)
        handler.setFormatter(JsonFormatter())
        handler._turnus_json = True  # type: ignore[attr-defined]
        logger.addHandler(handler)
        logger.setLevel(level if name == "turnus" else logging.WARNING)
        logger.propagate = False
