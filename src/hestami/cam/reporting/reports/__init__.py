"""The report definitions; importing this package registers them all (`definitions.definitions()`)."""

from hestami.cam.reporting.reports import financial, operational  # noqa: F401
