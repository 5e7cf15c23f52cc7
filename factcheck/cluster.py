"""Group claims that state the same fact across articles.

Average-linkage agglomerative clustering on cosine distance, cut at
``1 - threshold``: two groups merge while the mean cosine between their
members exceeds ``threshold``. Average linkage won on ECB+ dev topics against
complete linkage (splits paraphrase groups) and single linkage (chains
same-topic-different-fact sentences); see ``factcheck.evaluation.clustering``.

Scale: no n x n matrix over a corpus. Every average-linkage cluster lies
inside one connected component of the graph "cosine >= threshold" (a merge
needs at least one pair above the threshold), so we build that graph sparsely
in row blocks and cluster each component exactly on its own. ``group_events``
uses the same graph over article vectors to split a corpus into stories.
"""

from __future__ import annotations

import hashlib
from typing import Literal, Sequence

import numpy as np
from scipy.sparse import coo_matrix, csr_matrix
from scipy.sparse.csgraph import connected_components

from .models import Claim, Cluster

Linkage = Literal["average", "complete", "single"]
# Rows of the similarity matrix computed at once: block x n float32 stays
# small (1024 x 50,000 x 4 bytes = 200 MB at worst, 20 MB for 5,000 claims).
_BLOCK = 1024
# Slack on the graph edges so float rounding never drops a pair that
# sklearn's linkage would merge; components are refined exactly afterwards.
_EPS = 1e-5


def _unit_rows(vectors: np.ndarray) -> np.ndarray:
    v = np.asarray(vectors, dtype=np.float32)
    return v / np.maximum(np.linalg.norm(v, axis=1, keepdims=True), 1e-12)


def threshold_graph(vectors: np.ndarray, threshold: float, block: int = _BLOCK) -> csr_matrix:
    """Sparse symmetric graph with an edge where cosine >= ``threshold``.

    Computed ``block`` rows at a time, so memory is O(block * n + edges).
    """
    v = _unit_rows(vectors)
    n = len(v)
    rows: list[np.ndarray] = []
    cols: list[np.ndarray] = []
    for start in range(0, n, block):
        sims = v[start : start + block] @ v.T
        r, c = np.nonzero(sims >= threshold - _EPS)
        keep = r + start != c
        rows.append(r[keep] + start)
        cols.append(c[keep])
    r_all = np.concatenate(rows) if rows else np.zeros(0, dtype=np.int64)
    c_all = np.concatenate(cols) if cols else np.zeros(0, dtype=np.int64)
    return coo_matrix((np.ones(len(r_all), dtype=np.int8), (r_all, c_all)), shape=(n, n)).tocsr()


# Up to this many article vectors, event grouping searches neighbours exactly
# (scikit-learn's brute-force radius graph: 2 s at 10,000 on 2 cores, but
# quadratic: about 4 minutes at 100,000). Past it, an inverted-file index
# (faiss IVF, L2 on unit vectors) finds the pairs above the threshold in
# near-linear time; measured edge recall against exact search 0.98-0.99 on
# 100,000 synthetic article vectors (see ``factcheck bench``).
EXACT_MAX = 20_000
# IVF settings: lists ~ 4 sqrt(n); probing 10 of them keeps recall at ~0.98.
_IVF_PROBES = 10
_IVF_TRAIN_ITERATIONS = 10


def radius_graph(vectors: np.ndarray, threshold: float) -> csr_matrix:
    """Sparse graph with an edge where cosine >= ``threshold`` (up to a 1e-5 slack).

    Exact nearest-neighbour search (scikit-learn ``NearestNeighbors`` radius
    graph, brute force) up to ``EXACT_MAX`` vectors; approximate above it
    when faiss is installed (the ``dask`` extra), exact otherwise. Extra
    slack edges never change a clustering (a merge needs its mean cosine
    above the threshold); a missed edge can only split a component.
    """
    v = _unit_rows(vectors)
    n = len(v)
    if n > EXACT_MAX:
        try:
            return _ivf_graph(v, threshold)
        except ImportError:
            pass
    from sklearn.neighbors import NearestNeighbors

    nn = NearestNeighbors(radius=1.0 - threshold + _EPS, metric="cosine", algorithm="brute").fit(v)
    graph = nn.radius_neighbors_graph(v, mode="connectivity").tocoo()
    keep = graph.row != graph.col
    return coo_matrix(
        (np.ones(int(keep.sum()), dtype=np.int8), (graph.row[keep], graph.col[keep])), shape=(n, n)
    ).tocsr()


def _ivf_graph(v: np.ndarray, threshold: float) -> csr_matrix:
    import faiss

    n, dim = v.shape
    # Squared L2 distance between unit vectors is 2 - 2 cos, and unlike the
    # inner product it ignores the component all news vectors share, so the
    # inverted lists come out balanced.
    lists = max(1, int(4 * np.sqrt(n)))
    index = faiss.IndexIVFFlat(faiss.IndexFlatL2(dim), dim, lists, faiss.METRIC_L2)
    index.cp.niter = _IVF_TRAIN_ITERATIONS
    index.cp.seed = 1234  # deterministic lists, so the same input gives the same graph
    x = np.ascontiguousarray(v, dtype=np.float32)
    index.train(x)
    index.add(x)
    index.nprobe = _IVF_PROBES
    limits, _, ids = index.range_search(x, 2.0 - 2.0 * threshold + 2 * _EPS)
    rows = np.repeat(np.arange(n), np.diff(limits).astype(np.int64))
    cols = ids.astype(np.int64)
    keep = rows != cols
    rows, cols = rows[keep], cols[keep]
    # Symmetric, as exact search would be: an edge found from either end counts.
    r = np.concatenate([rows, cols])
    c = np.concatenate([cols, rows])
    graph = coo_matrix((np.ones(len(r), dtype=np.int8), (r, c)), shape=(n, n)).tocsr()
    graph.data[:] = 1
    return graph


def _components(vectors: np.ndarray, threshold: float, graph: csr_matrix | None = None) -> list[list[int]]:
    """Connected components of the threshold graph, each sorted, ordered by first index."""
    if len(vectors) == 0:
        return []
    graph = threshold_graph(vectors, threshold) if graph is None else graph
    _, labels = connected_components(graph, directed=False)
    groups: dict[int, list[int]] = {}
    for i, label in enumerate(labels):
        groups.setdefault(int(label), []).append(i)
    return sorted(groups.values(), key=lambda g: g[0])


def _agglomerate(vectors: np.ndarray, threshold: float, linkage: Linkage) -> list[list[int]]:
    """Exact agglomerative clustering of one component; local indices.

    Gives the partition ``sklearn.cluster.AgglomerativeClustering(metric="cosine",
    linkage=linkage, distance_threshold=1 - threshold)`` gives, without building
    an estimator per component (a millisecond each, most of the time on
    thousands of small events): for average and complete linkage sklearn
    calls ``scipy.cluster.hierarchy.linkage`` with the same arguments and cuts
    the tree below the threshold, which is what is done here
    (``test_cluster_agglomerate_matches_sklearn`` checks the equivalence).
    """
    if len(vectors) == 1:
        return [[0]]
    if len(vectors) == 2:
        # Most components are pairs; decide them with the very distance and
        # comparison sklearn would use (scipy pdist, merge while d < cut).
        from scipy.spatial.distance import pdist

        distance = float(pdist(np.asarray(vectors, dtype=np.float64), metric="cosine")[0])
        return [[0, 1]] if distance < 1.0 - threshold else [[0], [1]]
    if linkage == "single":
        return _agglomerate_sklearn(vectors, threshold, linkage)
    from scipy.cluster import hierarchy

    n = len(vectors)
    tree = hierarchy.linkage(np.asarray(vectors), method=linkage, metric="cosine")
    # sklearn undoes the merges at or above the cut (``_hc_cut``); scipy lists
    # merges by increasing distance, so the ones kept are the first ``kept``.
    kept = (n - 1) - int(np.count_nonzero(tree[:, 2] >= 1.0 - threshold))
    parent = list(range(2 * n - 1))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for step in range(kept):
        a, b = int(tree[step, 0]), int(tree[step, 1])
        parent[root(a)] = n + step
        parent[root(b)] = n + step
    groups: dict[int, list[int]] = {}
    for i in range(n):
        groups.setdefault(root(i), []).append(i)
    return list(groups.values())


def _agglomerate_sklearn(vectors: np.ndarray, threshold: float, linkage: Linkage) -> list[list[int]]:
    from sklearn.cluster import AgglomerativeClustering

    model = AgglomerativeClustering(
        n_clusters=None,
        metric="cosine",
        linkage=linkage,
        distance_threshold=1.0 - threshold,
    )
    labels = model.fit_predict(vectors)
    groups: dict[int, list[int]] = {}
    for i, label in enumerate(labels):
        groups.setdefault(int(label), []).append(i)
    return list(groups.values())


def group_events(article_vectors: np.ndarray, threshold: float, linkage: Linkage = "average") -> list[list[int]]:
    """Split articles into stories (events) before claims are clustered.

    ``article_vectors`` holds one row per article (the normalised mean of its
    claim vectors). Articles are clustered like claims: sparse threshold
    graph, then exact ``linkage`` clustering inside each component. Plain
    connected components chain: mean-of-sentence vectors of news articles
    sit close together, and on multi-outlet news one bridge article joined
    unrelated stories into one group (measured in the README figures).
    Returns row indices, each group ascending, groups ordered by first index;
    an unlinked article is a group of one. The neighbour search is
    ``radius_graph`` (exact up to ``EXACT_MAX`` articles).
    """
    v = _unit_rows(article_vectors)
    groups = []
    for component in _components(v, threshold, radius_graph(v, threshold) if len(v) else None):
        for local in _agglomerate(v[component], threshold, linkage):
            groups.append(sorted(component[j] for j in local))
    return sorted(groups, key=lambda g: g[0])


def _claim_key(claim: Claim) -> tuple[str, int, str]:
    return (claim.article_id, claim.index, claim.id)


def cluster_id(claim_ids: Sequence[str]) -> str:
    """Content-derived id: the same members always give the same id."""
    return "c" + hashlib.sha1("\n".join(sorted(claim_ids)).encode("utf-8")).hexdigest()[:10]


def cluster_claims(
    claims: Sequence[Claim],
    vectors: np.ndarray,
    threshold: float,
    linkage: Linkage = "average",
) -> list[Cluster]:
    """Cluster ``claims`` (row i of ``vectors`` embeds claims[i]) into facts.

    A cluster may hold several claims of one article (an article often repeats
    its lead fact); the comparator pairs members from different articles.
    Singletons are returned too: they are the single-source claims.

    Deterministic under any permutation of the input: claims are ordered by
    (article id, index, id) before clustering, so ties break the same way;
    members are listed in that order; clusters spanning more articles come
    first, then by their first member.
    """
    if len(claims) != len(vectors):
        raise ValueError(f"{len(claims)} claims but {len(vectors)} vectors")
    ids = [c.id for c in claims]
    if len(set(ids)) != len(ids):
        raise ValueError("claim ids must be unique")
    if not claims:
        return []
    order = sorted(range(len(claims)), key=lambda i: _claim_key(claims[i]))
    ordered = [claims[i] for i in order]
    v = _unit_rows(np.asarray(vectors)[order])

    members: list[list[int]] = []
    for component in _components(v, threshold):
        for local in _agglomerate(v[component], threshold, linkage):
            members.append(sorted(component[j] for j in local))

    clusters = []
    for group in members:
        group_claims = [ordered[i] for i in group]
        claim_ids = tuple(c.id for c in group_claims)
        article_ids = tuple(sorted({c.article_id for c in group_claims}))
        clusters.append(Cluster(id=cluster_id(claim_ids), claim_ids=claim_ids, article_ids=article_ids))
    first = {c.id: _claim_key(c) for c in ordered}
    clusters.sort(key=lambda c: (-len(c.article_ids), first[c.claim_ids[0]]))
    return clusters
