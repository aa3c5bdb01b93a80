"""Sparse feature rows as scikit-learn and SciPy build them, built faster for one message.

At one message per call, scikit-learn's ``TfidfVectorizer.transform`` spends three quarters of
its time on checks and on multiplying by a (features x features) diagonal matrix that it rebuilds
for every call, and SciPy's ``hstack`` goes through a coordinate matrix. Together that was
about 1.7 ms of the classifier's 2.5 ms per message. The functions here give the same matrices,
float for float (tests/unit/test_sparse_features.py compares them on every stored text), so
a model trained with either answers the same.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
from scipy.sparse import csr_matrix, hstack
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer
from sklearn.preprocessing import normalize


class Tfidf(TfidfVectorizer):
    """``TfidfVectorizer`` whose ``transform`` reads the idf vector once per fit or load.

    scikit-learn multiplies the counts by its idf diagonal with a sparse matrix product, which
    leaves each row's terms in reverse order; the L2 norm is then summed in that order. This
    keeps the order, so the norm, and every float after it, is the same to the last bit.
    """

    _idf_vector: np.ndarray | None = None

    def fit(self, raw_documents: Iterable[str], y: object = None) -> Tfidf:
        self._idf_vector = None
        super().fit(raw_documents, y)
        return self

    def fit_transform(self, raw_documents: Iterable[str], y: object = None) -> csr_matrix:
        self._idf_vector = None
        return super().fit_transform(raw_documents, y)

    def transform(self, raw_documents: Iterable[str]) -> csr_matrix:
        if not self.use_idf or self.norm != "l2":
            return super().transform(raw_documents)
        if self._idf_vector is None:
            self._idf_vector = np.asarray(self.idf_, dtype=np.float64)
        counts = CountVectorizer.transform(self, raw_documents)  # sorted, dtype float64
        data = counts.data.astype(np.float64, copy=False)
        if self.sublinear_tf:
            np.log(data, data)
            data += 1
        data *= self._idf_vector[counts.indices]
        order = _reversed_rows(counts.indptr)
        weighted = csr_matrix((data[order], counts.indices[order], counts.indptr),
                              shape=counts.shape)
        return normalize(weighted, norm="l2", copy=False)


def _reversed_rows(indptr: np.ndarray) -> np.ndarray:
    """Positions that reverse the entries of each row of a CSR matrix with this ``indptr``."""
    lengths = np.diff(indptr)
    row_of = np.repeat(np.arange(len(lengths)), lengths)
    return indptr[row_of] + indptr[row_of + 1] - 1 - np.arange(int(indptr[-1]))


def side_by_side(parts: list[csr_matrix], dense: np.ndarray) -> csr_matrix:
    """``hstack([*parts, csr_matrix(dense)]).tocsr()``: one message's row without the detour
    through a coordinate matrix (several rows still take that way)."""
    if dense.shape[0] != 1 or any(part.shape[0] != 1 for part in parts):
        return hstack([*parts, csr_matrix(dense)]).tocsr()
    indices, data, offset = [], [], 0
    for part in parts:
        indices.append(part.indices.astype(np.int64) + offset)
        data.append(part.data.astype(np.float64, copy=False))
        offset += part.shape[1]
    row = np.asarray(dense, dtype=np.float64).reshape(-1)
    present = np.flatnonzero(row)
    indices.append(present + offset)
    data.append(row[present])
    values = np.concatenate(data)
    # the terms in hstack's order (each part's own, then the next part's): the score sums them
    return csr_matrix((values, np.concatenate(indices), np.array([0, len(values)])),
                      shape=(1, offset + row.shape[0]))
