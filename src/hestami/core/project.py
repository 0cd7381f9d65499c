"""Where the project's own files are (alembic.ini, migrations/, policies/, the Cerbos binary `make setup` fetched),
whatever the working directory.

In order: `HESTAMI_PROJECT_ROOT`; the source checkout this package is installed from (an editable install, as
`make setup` makes); the working directory (a deployment that copies the files next to a regular install, as the
Docker image does in /app). `HESTAMI_POLICY_DIR` names the Cerbos policy folder on its own.
"""

from __future__ import annotations

from pathlib import Path

from hestami.core.config import Settings

SOURCE_CHECKOUT = Path(__file__).resolve().parents[3]


class ProjectFilesNotFoundError(FileNotFoundError):
    """The project's files are not where any setting or the installation says."""


def _has_migrations(root: Path) -> bool:
    return (root / "alembic.ini").is_file() and (root / "migrations").is_dir()


def project_root(settings: Settings) -> Path:
    if settings.project_root:
        root = Path(settings.project_root).expanduser().resolve()
        if not _has_migrations(root):
            raise ProjectFilesNotFoundError(f"HESTAMI_PROJECT_ROOT={root} has no alembic.ini and migrations/")
        return root
    for root in (SOURCE_CHECKOUT, Path.cwd().resolve()):
        if _has_migrations(root):
            return root
    raise ProjectFilesNotFoundError(
        f"no alembic.ini and migrations/ in the source checkout ({SOURCE_CHECKOUT}) nor in the working directory "
        f"({Path.cwd()}): set HESTAMI_PROJECT_ROOT"
    )


def policy_dir(settings: Settings) -> Path:
    folder = (
        Path(settings.policy_dir).expanduser().resolve() if settings.policy_dir else project_root(settings) / "policies"
    )
    if not (folder / "resource").is_dir():
        setting = "HESTAMI_POLICY_DIR" if settings.policy_dir else "HESTAMI_POLICY_DIR or HESTAMI_PROJECT_ROOT"
        raise ProjectFilesNotFoundError(f"no Cerbos policies (resource/*.yaml) in {folder}: set {setting}")
    return folder
