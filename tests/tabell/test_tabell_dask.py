"""More than one machine: the same scenario function over files with dask.bag on a local cluster of
processes (dask.distributed LocalCluster). Needs the extra [dask]; skipped, with the reason, without it."""

from __future__ import annotations

import pytest

pytest.importorskip("dask.bag", reason="Dask is not installed (pip install 'sakagare_xl[dask]')")
pytest.importorskip("distributed", reason="dask.distributed is not installed (pip install 'sakagare_xl[dask]')")


def _partition(files, andringar):
    from sakagare_xl.tabell import scenarier

    return [scenarier(list(files), andringar=andringar, progress=False)]


def test_a_local_cluster_gives_the_table_of_one_process(portfolio):
    import dask.bag as db
    import pandas as pd
    from distributed import Client, LocalCluster

    from sakagare_xl.tabell import scenarier

    files = [str(p) for p in portfolio[:20]]
    andringar = ["-10 %", "-20 %", "-30 %"]
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
            Client(cluster) as client:
        assert len(client.scheduler_info()["workers"]) == 2
        bag = db.from_sequence(files, partition_size=5).map_partitions(_partition, andringar)
        parts = bag.compute()
    got = pd.concat(parts, ignore_index=True)
    assert got.equals(scenarier(files, andringar=andringar))
