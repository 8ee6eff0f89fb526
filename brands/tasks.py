"""Background work of the registry: thin tasks that call services."""

from celery import shared_task

from . import proposals
from .services import brand_completeness_refresh


@shared_task(autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=5)
def brand_completeness_refresh_all() -> int:
    """Recompute every brand's completeness: queued when the rules change, and by beat as a safety net."""
    return brand_completeness_refresh()


@shared_task(autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=5)
def proposal_images_expire() -> int:
    """Delete the images of proposals rejected more than ``PROPOSAL_IMAGE_RETENTION_DAYS`` ago (daily, by beat)."""
    return proposals.proposal_images_expire()
