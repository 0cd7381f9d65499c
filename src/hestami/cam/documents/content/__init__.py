"""Content handling for the documents domain: pure functions over bytes and files on disk.

Kept apart from the services and the database so they can be tested without either and run in worker threads:
`sniff` decides what an upload really is, `rules` what a category accepts, `scan` the virus-scan port,
`extract` text/page count/preview, and `pdfgen` demo and test PDFs.
"""
