"""Demo documents: each demo association's library (declaration, bylaws, rules, budget, minutes, reserve study and,
where Summit manages it, the management agreement) as generated PDFs with real text (the records themselves are in
`demo_data.py`; this module files them).

Runs after the association and work-order seeders, as the association's manager (the demo admin where the manager
is not a member), through `services.documents.upload` one document per request, like the upload procedure: the
PDF is staged as the request's file and the staged copy removed afterwards. A document whose title the
association already has is skipped, and the Sunset Ridge rules get their amendment (version 2) only while they are
at version 1, so `hestami dev` can run this on every start.

Each upload starts its `documentExtraction_v1` DBOS workflow (`hestami dev` / `seed-demo` launch DBOS for the
seeders); a few seconds later the text is searchable: owner@ finds the Sunset Ridge rules with `list {"query":
"pet"}`, and board@ reads the board minutes and the reserve study.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Sequence
from datetime import date

from hestami.cam.association import api as association
from hestami.cam.documents.content.pdfgen import text_pdf
from hestami.cam.documents.demo_data import Library, libraries
from hestami.cam.documents.schemas import DocumentOut, DocumentScope, ListDocuments, UploadDocument
from hestami.cam.documents.services import documents
from hestami.core.context import RequestContext
from hestami.core.demo import demo_seed
from hestami.core.runtime import Runtime
from hestami.core.uploads import stage_bytes
from hestami.identity.demo import DemoCast, email_of


class _Seeder(DemoCast):
    async def upload(
        self, login: str, library: Library, data: UploadDocument, title: str, paragraphs: Sequence[str], file_name: str
    ) -> DocumentOut:
        """One upload request: the PDF staged as its file, removed once the request is done."""
        pdf = await asyncio.to_thread(text_pdf, title, paragraphs, author=library.name)
        staged = await stage_bytes(pdf, file_name, max_bytes=self.runtime.settings.document_max_bytes)
        try:
            async with self.acting(login, library.slug) as ctx:
                ctx.upload = staged
                return await documents.upload(ctx, data)
        finally:
            staged.remove()

    async def load(self, library: Library) -> str:
        if library.slug not in self.orgs:
            return f"  {library.short}: skipped, organization {library.slug} is missing"
        login = await self.keeper(library.slug)
        async with self.acting(login, library.slug) as ctx:
            found = await association.association_named(ctx, library.name)
            if found is None:
                return f"  {library.short}: skipped, the association is missing"
            filed = await _filed(ctx, found.id)
        added = 0
        for doc in library.documents:
            if doc.title in filed:
                continue
            data = UploadDocument(
                title=doc.title,
                category=doc.category,
                scope=DocumentScope(type="ASSOCIATION", association_id=found.id),
                visibility=doc.visibility,
                description=doc.description,
                tags=list(doc.tags),
                document_date=doc.document_date,
            )
            filed[doc.title] = await self.upload(login, library, data, doc.title, doc.paragraphs, doc.file_name)
            added += 1
        line = f"  {library.short}: {added} documents filed by {email_of(login)} ({len(filed)} in the library)"
        amendment = library.amendment
        target = filed.get(amendment.title) if amendment else None
        if amendment and target and target.current_version_number < 2:
            data = UploadDocument(document_id=target.id, change_note=amendment.change_note)
            file_name = next(d.file_name for d in library.documents if d.title == amendment.title)
            await self.upload(login, library, data, amendment.title, amendment.paragraphs, file_name)
            line += f"; {amendment.title} amended (version 2)"
        return line


async def _filed(ctx: RequestContext, association_id: uuid.UUID) -> dict[str, DocumentOut]:
    """The association's documents (active or archived) by title."""
    filed: dict[str, DocumentOut] = {}
    cursor: str | None = None
    while True:
        page = await documents.list_documents(
            ctx, ListDocuments(association_id=association_id, status=None, limit=200, cursor=cursor)
        )
        filed.update((doc.title, doc) for doc in page.items)
        if page.next_cursor is None:
            return filed
        cursor = page.next_cursor


@demo_seed("documents", order=50)
async def seed_documents(runtime: Runtime) -> list[str]:
    seeder = await _Seeder.gather(runtime)
    if seeder is None:
        return ["demo documents: skipped, the demo admin does not exist"]
    lines = ["demo documents:"]
    for library in libraries(date.today()):
        lines.append(await seeder.load(library))
    return lines
