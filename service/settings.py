"""Every setting, from the environment (`PARLEY_*`) or the command line; read nowhere else."""

from __future__ import annotations

from functools import lru_cache

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="PARLEY_", extra="ignore")

    database_url: str = "sqlite:///./parley.db"
    pool_size: int = Field(5, ge=1, description="connections per process (PostgreSQL)")
    pool_max_overflow: int = Field(5, ge=0)
    pool_timeout: float = Field(5.0, gt=0, description="seconds to wait for a free connection")
    connect_timeout: float = Field(5.0, gt=0, description="seconds to wait for the server")
    lock_timeout: int = Field(5, ge=1, description="seconds a write waits for a lock")
    max_body_bytes: int = Field(1024 * 1024, ge=1024)
    max_batch_events: int = Field(1000, ge=1)
    max_page: int = Field(1000, ge=1)
    reads_need_token: bool = False
    projection_batch: int = Field(1000, ge=1)


@lru_cache
def get_settings() -> Settings:
    return Settings()
