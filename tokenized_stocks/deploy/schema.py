"""The JSON Schemas of the files the tools read, generated from their models.

    python -m tokenized_stocks.deploy.schema        # or: make schema

writes docs/schema/manifest.schema.json and docs/schema/listings.schema.json; a unit test fails when
the committed files differ from what the models generate.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from tokenized_stocks.deploy.listings import ListingsFile
from tokenized_stocks.deploy.manifest import Manifest

SCHEMA_DIR = Path("docs/schema")
REGENERATE = "python -m tokenized_stocks.deploy.schema  (or: make schema)"
MODELS: dict[str, tuple[type[BaseModel], str]] = {
    "manifest.schema.json": (Manifest, "Deployment manifest: deployments/<chain id>/manifest.json"),
    "listings.schema.json": (ListingsFile, "Asset listings read by `ape run deploy` (YAML)"),
}


def schema(model: type[BaseModel], title: str) -> dict[str, Any]:
    generated = model.model_json_schema(by_alias=True, mode="validation")
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **generated, "title": title}


def rendered() -> dict[str, str]:
    """File name -> the schema's text, as committed."""
    return {name: json.dumps(schema(*spec), indent=2) + "\n" for name, spec in MODELS.items()}


def write(root: Path = SCHEMA_DIR) -> list[Path]:
    root.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in rendered().items():
        path = root / name
        path.write_text(text)
        written.append(path)
    return written


def main() -> None:
    for path in write(Path(sys.argv[1]) if len(sys.argv) > 1 else SCHEMA_DIR):
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
