"""Fine-tune the occupation encoder on the labelled titles and offices' checks, for the coder to blend in."""

import time
from collections.abc import Callable, Iterable
from pathlib import Path

from flask import current_app

from app.errors import DomainError
from app.services.bridge import office_coded_titles, training_titles
from app.services.common import log
from app.services.seeding import REFERENCE_DIR


def train_occupation_encoder(
    epochs: int = 4,
    sample: int | None = None,
    progress: Callable[[Iterable], Iterable] | None = None,
) -> dict[str, object]:
    """Fine-tune the encoder on every row the coder learns from and save it where the coder looks.

    ``sample`` trains on that many randomly chosen rows only: a quick trial of the set-up,
    not a model to code with. Processes pick the new file up the next time they code a title.
    """
    path = current_app.config.get("OCCUPATION_ENCODER_PATH")
    if not path:
        raise DomainError("OCCUPATION_ENCODER_PATH is not set: nowhere to save the encoder")
    try:
        from matching.occupation_encoder import train_encoder
        from matching.occupations import OccupationCoder, load_catalogue
    except ImportError as e:
        raise DomainError(
            f"the encoder extra is not installed (pip install -e '.[encoder]'): {e}"
        ) from e
    start = time.perf_counter()
    checked = office_coded_titles()
    pairs = training_titles(checked)
    titles, codes = [t for t, _ in pairs], [c for _, c in pairs]
    # The encoder learns from the coder's training rows, which need no fitted coder.
    coder = OccupationCoder(load_catalogue(REFERENCE_DIR / "csco22.csv"))
    encoder = train_encoder(coder, titles, codes, progress, sample=sample, epochs=epochs)
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    encoder.save(path)
    seconds = round(time.perf_counter() - start)
    log.info(
        "occupation encoder trained on %d rows (%d office checks), %d epochs, in %d s: %s",
        encoder.rows,
        len(checked),
        epochs,
        seconds,
        path,
    )
    return {
        "path": str(path),
        "rows": encoder.rows,
        "office_checks": len(checked),
        "epochs": epochs,
        "seconds": seconds,
    }
