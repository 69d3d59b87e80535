"""Routes: queries."""

from fastapi import APIRouter

router = APIRouter()
