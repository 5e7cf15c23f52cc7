from __future__ import annotations

import itertools

import numpy as np
import pytest

from factcheck.cluster import cluster_claims, cluster_id, group_events, threshold_graph
from factcheck.models import Claim, Span


def _claim(article: str, index: int, text: str = "x") -> Claim:
    return Claim(id=f"{article}:{index}", article_id=article, index=index, span=Span(start=0, end=len(text)), text=text)


def _unit(*components: float) -> np.ndarray:
    v = np.array(components, dtype=np.float32)
    return v / np.linalg.norm(v)


# Fact A and fact B told by three articles, plus one fact only article c has.
FACT_A = [_unit(1, 0.05, 0, 0), _unit(1, 0, 0.08, 0), _unit(0.97, 0.1, 0, 0.05)]
FACT_B = [_unit(0, 1, 0.05, 0), _unit(0.05, 1, 0, 0), _unit(0, 0.98, 0, 0.1)]
ALONE = _unit(0, 0, 0.3, 1)


def _table() -> tuple[list[Claim], np.ndarray]:
    claims, vectors = [], []
    for n, article in enumerate(["a", "b", "c"]):
        claims += [_claim(article, 0), _claim(article, 1)]
        vectors += [FACT_A[n], FACT_B[n]]
    claims.append(_claim("c", 2))
    vectors.append(ALONE)
    return claims, np.stack(vectors)


def test_cluster_two_facts_three_articles():
    claims, vectors = _table()
    clusters = cluster_claims(claims, vectors, threshold=0.8)
    assert [c.claim_ids for c in clusters] == [("a:0", "b:0", "c:0"), ("a:1", "b:1", "c:1"), ("c:2",)]
    assert [c.article_ids for c in clusters] == [("a", "b", "c"), ("a", "b", "c"), ("c",)]
    assert all(c.id == cluster_id(c.claim_ids) for c in clusters)


@pytest.mark.parametrize(
    ("cosine", "threshold", "together"),
    [
        (0.95, 0.8, True),
        (0.81, 0.8, True),
        (0.79, 0.8, False),  # near miss: just below the threshold stays apart
        (0.30, 0.8, False),
        (0.79, 0.7, True),
    ],
)
def test_cluster_pair_threshold(cosine, threshold, together):
    a = np.array([1.0, 0.0], dtype=np.float32)
    b = np.array([cosine, np.sqrt(1 - cosine**2)], dtype=np.float32)
    clusters = cluster_claims([_claim("a", 0), _claim("b", 0)], np.stack([a, b]), threshold)
    assert len(clusters) == (1 if together else 2)


@pytest.mark.parametrize("linkage", ["average", "complete", "single"])
def test_cluster_deterministic_under_permutation(linkage):
    claims, vectors = _table()
    reference = cluster_claims(claims, vectors, 0.8, linkage=linkage)
    for perm in itertools.islice(itertools.permutations(range(len(claims))), 0, 5040, 97):
        shuffled = cluster_claims([claims[i] for i in perm], vectors[list(perm)], 0.8, linkage=linkage)
        assert shuffled == reference


def test_cluster_deterministic_with_ties():
    # Four identical vectors and an equidistant fifth: tie-breaking must not
    # depend on input order.
    base = _unit(1, 0, 0)
    vectors = np.stack([base, base, base, base, _unit(1, 1, 0)])
    claims = [_claim(a, 0) for a in "abcde"]
    reference = cluster_claims(claims, vectors, 0.75)
    for perm in itertools.permutations(range(5)):
        assert cluster_claims([claims[i] for i in perm], vectors[list(perm)], 0.75) == reference


def test_cluster_average_linkage_does_not_chain():
    # x - y - z each 0.87 apart but x and z only 0.5: single linkage chains
    # them into one cluster, average linkage must not.
    angles = np.radians([0, 30, 60])
    vectors = np.stack([[np.cos(t), np.sin(t)] for t in angles]).astype(np.float32)
    claims = [_claim(a, 0) for a in "xyz"]
    assert len(cluster_claims(claims, vectors, 0.8, linkage="single")) == 1
    assert len(cluster_claims(claims, vectors, 0.8, linkage="average")) == 2


@pytest.mark.parametrize(
    ("claims", "vectors", "message"),
    [
        ([_claim("a", 0)], np.zeros((2, 3), dtype=np.float32), "vectors"),
        ([_claim("a", 0), _claim("a", 0)], np.eye(2, dtype=np.float32), "unique"),
    ],
)
def test_cluster_rejects_bad_input(claims, vectors, message):
    with pytest.raises(ValueError, match=message):
        cluster_claims(claims, vectors, 0.8)


def test_cluster_empty_input():
    assert cluster_claims([], np.zeros((0, 4), dtype=np.float32), 0.8) == []


def test_cluster_fake_embedder_groups_identical_sentences(fake_embedder):
    texts = {
        "a:0": "The quake killed 40 people in the province.",
        "b:0": "The quake killed 40 people in the province.",
        "a:1": "The orchestra performed a new symphony.",
    }
    claims = [_claim(k.split(":")[0], int(k.split(":")[1]), t) for k, t in texts.items()]
    clusters = cluster_claims(claims, fake_embedder.embed(list(texts.values())), 0.8)
    assert [c.claim_ids for c in clusters] == [("a:0", "b:0"), ("a:1",)]


def test_cluster_matches_dense_clustering_on_random_data():
    # The sparse component split must give exactly what one dense
    # AgglomerativeClustering over everything gives.
    from sklearn.cluster import AgglomerativeClustering

    rng = np.random.default_rng(7)
    centres = rng.normal(size=(12, 16))
    vectors = np.concatenate([c + 0.35 * rng.normal(size=(8, 16)) for c in centres]).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    claims = [_claim(f"art{i % 9}", i) for i in range(len(vectors))]
    ours = {frozenset(c.claim_ids) for c in cluster_claims(claims, vectors, 0.7)}
    labels = AgglomerativeClustering(
        n_clusters=None, metric="cosine", linkage="average", distance_threshold=0.3
    ).fit_predict(vectors)
    dense = {frozenset(claims[i].id for i in np.flatnonzero(labels == k)) for k in set(labels)}
    assert ours == dense


@pytest.mark.parametrize(
    ("vectors", "threshold", "linkage", "expected"),
    [
        ([_unit(1, 0, 0), _unit(0, 1, 0), _unit(0.99, 0.1, 0), _unit(0, 0, 1)], 0.9, "average", [[0, 2], [1], [3]]),
        ([_unit(1, 0, 0), _unit(0, 1, 0)], 0.9, "average", [[0], [1]]),  # nothing in common: all alone
        # 0-1 and 1-2 at cosine 0.98, 0-2 at 0.92: single linkage chains all
        # three through the middle article, average linkage does not.
        ([_unit(1, 0.2, 0), _unit(1, 0, 0), _unit(1, -0.2, 0)], 0.97, "single", [[0, 1, 2]]),
        ([_unit(1, 0.2, 0), _unit(1, 0, 0), _unit(1, -0.2, 0)], 0.97, "average", [[0, 1], [2]]),
        ([], 0.9, "average", []),
    ],
)
def test_cluster_group_events(vectors, threshold, linkage, expected):
    array = np.stack(vectors) if vectors else np.zeros((0, 3), dtype=np.float32)
    assert group_events(array, threshold, linkage=linkage) == expected


def test_cluster_threshold_graph_is_blockwise_exact():
    rng = np.random.default_rng(3)
    v = rng.normal(size=(50, 8)).astype(np.float32)
    v /= np.linalg.norm(v, axis=1, keepdims=True)
    dense = (v @ v.T >= 0.5) & ~np.eye(50, dtype=bool)
    assert np.array_equal(threshold_graph(v, 0.5, block=7).toarray().astype(bool), dense)


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("linkage", ["average", "complete"])
def test_cluster_agglomerate_matches_sklearn(seed, linkage):
    """The direct scipy cut gives sklearn's AgglomerativeClustering partition."""
    from factcheck.cluster import _agglomerate, _agglomerate_sklearn

    rng = np.random.default_rng(seed)
    for _ in range(40):
        n, dim, k = int(rng.integers(3, 30)), int(rng.integers(2, 12)), int(rng.integers(1, 5))
        centres = rng.normal(size=(k, dim))
        vecs = (centres[rng.integers(0, k, n)] + rng.normal(scale=rng.uniform(0.1, 1.5), size=(n, dim))).astype(
            np.float32
        )
        threshold = float(rng.uniform(0.3, 0.95))
        fast = sorted(sorted(g) for g in _agglomerate(vecs, threshold, linkage))
        assert fast == sorted(sorted(g) for g in _agglomerate_sklearn(vecs, threshold, linkage))


def _synthetic_events(n: int, seed: int = 0) -> np.ndarray:
    from factcheck.bench import synthetic_article_vectors

    return synthetic_article_vectors(n, seed=seed)


def test_cluster_radius_graph_exact_has_the_threshold_graph_edges():
    from factcheck.cluster import radius_graph

    v = _synthetic_events(600)
    exact = threshold_graph(v, 0.75)
    assert set(zip(*radius_graph(v, 0.75).nonzero())) == set(zip(*exact.nonzero()))


def test_cluster_group_events_approximate_search_past_exact_max(monkeypatch):
    """Past EXACT_MAX the IVF index is used: approximate, so nearly (not always) the exact groups."""
    pytest.importorskip("faiss", reason="faiss-cpu (the dask extra) is not installed")
    import factcheck.cluster as cluster

    v = _synthetic_events(3000, seed=1)
    exact = group_events(v, 0.75)
    monkeypatch.setattr(cluster, "EXACT_MAX", 100)
    approx = group_events(v, 0.75)
    same = set(map(tuple, approx)) & set(map(tuple, exact))
    assert len(same) >= 0.98 * len(exact)
    assert group_events(v, 0.75) == approx  # deterministic all the same
    assert len(exact) < 2000  # events of several articles, not all singletons
