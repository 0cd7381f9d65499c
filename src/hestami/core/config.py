"""Settings from the environment and `.env` (pydantic-settings)."""

from __future__ import annotations

import socket
from decimal import Decimal
from functools import lru_cache
from typing import Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy.engine import make_url


class Settings(BaseSettings):
    """Everything the service reads from its environment.

    `DATABASE_URL` is the app role (DML only, subject to RLS); `MIGRATION_DATABASE_URL` the owner role that
    runs migrations. `hestami dev` and the tests fill these in for the embedded servers they start.
    """

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    environment: str = Field(default="development", alias="HESTAMI_ENV")
    database_url: str = Field(default="", alias="DATABASE_URL")
    migration_database_url: str = Field(default="", alias="MIGRATION_DATABASE_URL")
    dbos_system_database_url: str = Field(default="", alias="DBOS_SYSTEM_DATABASE_URL")
    backup_database_url: str = Field(default="", alias="BACKUP_DATABASE_URL")
    pg_bin_dir: str = Field(default="", alias="PG_BIN_DIR")
    redis_url: str = Field(default="redis://127.0.0.1:6379/0", alias="REDIS_URL")
    cerbos_url: str = Field(default="http://127.0.0.1:3592", alias="CERBOS_URL")
    cerbos_grpc_addr: str = Field(default="127.0.0.1:3593", alias="CERBOS_GRPC_ADDR")
    cerbos_timeout_seconds: float = Field(default=2.0, gt=0, alias="CERBOS_TIMEOUT_SECONDS")
    authz_cache_entries: int = Field(default=20_000, ge=0, alias="AUTHZ_CACHE_ENTRIES")
    authz_cache_seconds: float = Field(default=60.0, ge=0, alias="AUTHZ_CACHE_SECONDS")
    startup_ready_seconds: float = Field(default=10.0, ge=0, alias="STARTUP_READY_SECONDS")
    shutdown_grace_seconds: int = Field(default=30, ge=1, alias="SHUTDOWN_GRACE_SECONDS")
    project_root: str = Field(default="", alias="HESTAMI_PROJECT_ROOT")
    policy_dir: str = Field(default="", alias="HESTAMI_POLICY_DIR")
    app_role: str = Field(default="hestami_app", alias="HESTAMI_APP_ROLE")
    db_pool_size: int = Field(default=10, alias="DB_POOL_SIZE")
    slow_query_ms: float = Field(default=200.0, alias="SLOW_QUERY_MS")
    log_level: str = Field(default="INFO", alias="LOG_LEVEL")
    log_json: bool = Field(default=True, alias="LOG_JSON")
    otlp_endpoint: str = Field(default="", alias="OTEL_EXPORTER_OTLP_ENDPOINT")
    service_name: str = Field(default="hestami", alias="OTEL_SERVICE_NAME")
    trace_sample_ratio: float = Field(default=0.1, ge=0, le=1, alias="TRACE_SAMPLE_RATIO")
    idempotency_ttl_hours: int = Field(default=24, ge=24, alias="IDEMPOTENCY_TTL_HOURS")
    idempotency_lease_seconds: int = Field(default=120, ge=1, alias="IDEMPOTENCY_LEASE_SECONDS")
    idempotency_cleanup_cron: str = Field(default="0 */10 * * * *", alias="IDEMPOTENCY_CLEANUP_CRON")
    dbos_app_version: str = Field(default="hestami-0.1", alias="DBOS_APPLICATION_VERSION")
    dbos_executor_id: str = Field(default_factory=socket.gethostname, alias="DBOS_EXECUTOR_ID")
    executor_lease_seconds: float = Field(default=30.0, gt=0, alias="EXECUTOR_LEASE_SECONDS")
    executor_heartbeat_seconds: float = Field(default=5.0, gt=0, alias="EXECUTOR_HEARTBEAT_SECONDS")
    default_locale: str = Field(default="en-US", alias="DEFAULT_LOCALE")
    file_storage_dir: str = Field(default=".hestami/files", alias="FILE_STORAGE_DIR")
    file_storage: Literal["local", "s3"] = Field(default="local", alias="FILE_STORAGE")
    s3_endpoint_url: str = Field(default="", alias="S3_ENDPOINT_URL")  # empty: AWS itself
    s3_bucket: str = Field(default="hestami-files", alias="S3_BUCKET")
    s3_access_key_id: str = Field(default="", alias="S3_ACCESS_KEY_ID")
    s3_secret_access_key: str = Field(default="", alias="S3_SECRET_ACCESS_KEY")
    s3_region: str = Field(default="us-east-1", alias="S3_REGION")
    download_url_seconds: int = Field(default=300, ge=10, le=7 * 24 * 3600, alias="DOWNLOAD_URL_SECONDS")
    document_max_bytes: int = Field(default=100 * 1024 * 1024, ge=1, alias="DOCUMENT_MAX_BYTES")
    arc_day_seconds: float = Field(default=86400.0, gt=0, alias="ARC_DAY_SECONDS")
    arc_poll_seconds: float = Field(default=21600.0, gt=0, alias="ARC_POLL_SECONDS")
    violation_day_seconds: float = Field(default=86400.0, gt=0, alias="VIOLATION_DAY_SECONDS")
    violation_poll_seconds: float = Field(default=3600.0, gt=0, alias="VIOLATION_POLL_SECONDS")
    governance_day_seconds: float = Field(default=86400.0, gt=0, alias="GOVERNANCE_DAY_SECONDS")
    governance_poll_seconds: float = Field(default=3600.0, gt=0, alias="GOVERNANCE_POLL_SECONDS")
    communication_batch_size: int = Field(default=100, ge=1, le=1000, alias="COMMUNICATION_BATCH_SIZE")
    communication_batch_pause_seconds: float = Field(default=0.0, ge=0, alias="COMMUNICATION_BATCH_PAUSE_SECONDS")
    communication_concurrency: int = Field(default=2, ge=1, le=32, alias="COMMUNICATION_CONCURRENCY")
    ap_payment_step_pause_seconds: float = Field(default=0.0, ge=0, alias="AP_PAYMENT_STEP_PAUSE_SECONDS")
    posting_batch_size: int = Field(default=2000, ge=1, le=10000, alias="POSTING_BATCH_SIZE")
    posting_batch_pause_seconds: float = Field(default=0.0, ge=0, alias="POSTING_BATCH_PAUSE_SECONDS")
    posting_concurrency: int = Field(default=2, ge=1, le=32, alias="POSTING_CONCURRENCY")
    posting_cron: str = Field(default="0 5 * * *", alias="POSTING_CRON")
    report_concurrency: int = Field(default=2, ge=1, le=32, alias="REPORT_CONCURRENCY")
    report_schedule_cron: str = Field(default="30 4 * * *", alias="REPORT_SCHEDULE_CRON")
    report_step_pause_seconds: float = Field(default=0.0, ge=0, alias="REPORT_STEP_PAUSE_SECONDS")
    job_sync_poll_seconds: float = Field(default=300.0, gt=0, alias="JOB_SYNC_POLL_SECONDS")
    dispatch_poll_seconds: float = Field(default=900.0, gt=0, alias="DISPATCH_POLL_SECONDS")
    dispatch_sla_minute_seconds: float = Field(default=60.0, gt=0, alias="DISPATCH_SLA_MINUTE_SECONDS")
    dispatch_time_zone: str = Field(default="America/Chicago", alias="DISPATCH_TIME_ZONE")
    route_time_limit_seconds: float = Field(default=5.0, gt=0, le=60, alias="ROUTE_TIME_LIMIT_SECONDS")
    contractor_compliance_cron: str = Field(default="0 6 * * *", alias="CONTRACTOR_COMPLIANCE_CRON")
    contractor_compliance_step_pause_seconds: float = Field(
        default=0.0, ge=0, alias="CONTRACTOR_COMPLIANCE_STEP_PAUSE_SECONDS"
    )
    invoice_day_seconds: float = Field(default=86400.0, gt=0, alias="INVOICE_DAY_SECONDS")
    invoice_poll_seconds: float = Field(default=3600.0, gt=0, alias="INVOICE_POLL_SECONDS")
    invoice_due_days: int = Field(default=30, ge=0, le=365, alias="INVOICE_DUE_DAYS")
    invoice_reminder_days_before: int = Field(default=3, ge=0, le=60, alias="INVOICE_REMINDER_DAYS_BEFORE")
    invoice_overdue_reminder_every_days: int = Field(
        default=7, ge=1, le=90, alias="INVOICE_OVERDUE_REMINDER_EVERY_DAYS"
    )
    invoice_overdue_reminders: int = Field(default=3, ge=0, le=12, alias="INVOICE_OVERDUE_REMINDERS")
    invoice_tax_rate_percent: Decimal = Field(default=Decimal("8.25"), ge=0, le=100, alias="INVOICE_TAX_RATE_PERCENT")
    # Procurement (issue 24): the lead time a sent purchase order expects when its supplier states none.
    procurement_default_lead_days: int = Field(default=7, ge=0, le=365, alias="PROCUREMENT_DEFAULT_LEAD_DAYS")
    # Maintenance agreements (issue 24): maintenance_contract_v1's length of a "day" (tests shorten it), how far
    # ahead visits are generated as jobs, when the renewal notice goes out before term end.
    maintenance_day_seconds: float = Field(default=86400.0, gt=0, alias="MAINTENANCE_DAY_SECONDS")
    maintenance_poll_seconds: float = Field(default=3600.0, gt=0, alias="MAINTENANCE_POLL_SECONDS")
    maintenance_horizon_days: int = Field(default=366, ge=1, le=800, alias="MAINTENANCE_HORIZON_DAYS")
    maintenance_renewal_notice_days: int = Field(default=30, ge=0, le=180, alias="MAINTENANCE_RENEWAL_NOTICE_DAYS")
    # The web console (issue 25): the built SvelteKit app served at `/`; default: web/build in the project.
    web_dir: str = Field(default="", alias="WEB_DIR")
    estimate_tax_rate_percent: Decimal = Field(default=Decimal("8.25"), ge=0, le=100, alias="ESTIMATE_TAX_RATE_PERCENT")
    estimate_valid_days: int = Field(default=30, ge=1, le=365, alias="ESTIMATE_VALID_DAYS")
    estimate_approval_discount_percent: Decimal = Field(
        default=Decimal("10"), ge=0, le=100, alias="ESTIMATE_APPROVAL_DISCOUNT_PERCENT"
    )
    estimate_reminder_days: int = Field(default=3, ge=0, le=60, alias="ESTIMATE_REMINDER_DAYS")
    estimate_day_seconds: float = Field(default=86400.0, gt=0, alias="ESTIMATE_DAY_SECONDS")
    estimate_poll_seconds: float = Field(default=3600.0, gt=0, alias="ESTIMATE_POLL_SECONDS")
    work_order_poll_seconds: float = Field(default=300.0, gt=0, alias="WORK_ORDER_POLL_SECONDS")
    vendor_assignment_hour_seconds: float = Field(default=3600.0, gt=0, alias="VENDOR_ASSIGNMENT_HOUR_SECONDS")
    vendor_assignment_poll_seconds: float = Field(default=900.0, gt=0, alias="VENDOR_ASSIGNMENT_POLL_SECONDS")
    max_json_body_bytes: int = Field(default=10 * 1024 * 1024, ge=1024, alias="MAX_JSON_BODY_BYTES")
    api_rate_limit_per_minute: int = Field(default=1200, ge=0, alias="API_RATE_LIMIT_PER_MINUTE")
    session_secret: str = Field(default="", alias="SESSION_SECRET")
    session_idle_seconds: int = Field(default=24 * 3600, ge=60, alias="SESSION_IDLE_SECONDS")
    session_absolute_seconds: int = Field(default=30 * 24 * 3600, ge=60, alias="SESSION_ABSOLUTE_SECONDS")
    login_failures_per_email: int = Field(default=10, ge=1, alias="LOGIN_FAILURES_PER_EMAIL")
    login_failures_per_client: int = Field(default=100, ge=1, alias="LOGIN_FAILURES_PER_CLIENT")
    login_failures_per_account: int = Field(default=100, ge=1, alias="LOGIN_FAILURES_PER_ACCOUNT")
    login_failure_window_seconds: int = Field(default=900, ge=1, alias="LOGIN_FAILURE_WINDOW_SECONDS")
    email_verification_hours: int = Field(default=48, ge=1, le=24 * 30, alias="EMAIL_VERIFICATION_HOURS")
    email_verification_requests_per_hour: int = Field(default=5, ge=1, alias="EMAIL_VERIFICATION_REQUESTS_PER_HOUR")

    @model_validator(mode="after")
    def _heartbeat_within_lease(self) -> Settings:
        """A lease must outlive several heartbeats, or a live instance would look dead between two of them."""
        if self.executor_heartbeat_seconds * 2 > self.executor_lease_seconds:
            raise ValueError("EXECUTOR_HEARTBEAT_SECONDS must be at most half of EXECUTOR_LEASE_SECONDS")
        return self

    @property
    def is_production(self) -> bool:
        return self.environment == "production"

    def signing_secret(self) -> bytes:
        """The session-token signing key. Outside production a fixed development key stands in."""
        if self.session_secret:
            return self.session_secret.encode()
        if self.is_production:
            raise RuntimeError("SESSION_SECRET must be set in production")
        return b"hestami-development-only-session-secret"

    @property
    def owner_database_url(self) -> str:
        return self.migration_database_url or self.database_url

    @property
    def dbos_database_url(self) -> str:
        """The DBOS system database: the same server, the app database's name + `_dbos`, unless set."""
        if self.dbos_system_database_url:
            return self.dbos_system_database_url
        url = make_url(self.database_url)
        return url.set(database=f"{url.database}_dbos").render_as_string(hide_password=False)

    def dbos_owner_database_url(self) -> str:
        owner = make_url(self.owner_database_url)
        system = make_url(self.dbos_database_url)
        return owner.set(database=system.database).render_as_string(hide_password=False)


@lru_cache
def get_settings() -> Settings:
    return Settings()
