"""The compiled kernels agree with the numpy / scipy operations they replace."""

import numpy as np
import pytest
import scipy.sparse as sp

from matching.kernels import add_product_rows, entries_above, warm_up


@pytest.mark.parametrize("index_type", [np.int32, np.int64])
def test_add_product_rows_equals_the_sparse_product(index_type: type) -> None:
    rng = np.random.default_rng(3)
    left = sp.random(7, 50, density=0.2, format="csr", dtype=np.float32, random_state=rng)
    right = sp.random(50, 90, density=0.1, format="csr", dtype=np.float32, random_state=rng)
    out = rng.random((7, 90), dtype=np.float32)
    expected = out + np.float32(0.5) * (left @ right).toarray()
    left.indptr, left.indices = left.indptr.astype(index_type), left.indices.astype(index_type)
    add_product_rows(
        out,
        left.indptr,
        left.indices,
        left.data,
        right.indptr,
        right.indices,
        right.data,
        np.float32(0.5),
    )
    np.testing.assert_allclose(out, expected, rtol=1e-6)


def test_entries_above_equals_nonzero_of_the_mask() -> None:
    rng = np.random.default_rng(4)
    scores = rng.random((5, 40), dtype=np.float32)
    scores[2] = 0.25  # a row of ties at its threshold: nothing is strictly above
    threshold = np.array([0.5, 0.9, 0.25, 0.0, 1.0], dtype=np.float32)
    rows, cols, values = entries_above(scores, threshold)
    expected_rows, expected_cols = np.nonzero(scores > threshold[:, None])
    np.testing.assert_array_equal(rows, expected_rows)
    np.testing.assert_array_equal(cols, expected_cols)
    np.testing.assert_array_equal(values, scores[expected_rows, expected_cols])
    assert not (rows == 2).any()


def test_warm_up_compiles_every_index_type_scipy_uses() -> None:
    warm_up()
    index_types = {(sig[1].dtype.name, sig[4].dtype.name) for sig in add_product_rows.signatures}
    assert {("int32", "int32"), ("int32", "int64"), ("int64", "int32"), ("int64", "int64")} <= (
        index_types
    )
    assert entries_above.signatures
