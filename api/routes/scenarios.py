"""Routes: scenarios."""

from fastapi import APIRouter

router = APIRouter()
