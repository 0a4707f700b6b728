"""The web dashboard over the run folders: FastAPI app, JSON API and a CesiumJS globe."""
