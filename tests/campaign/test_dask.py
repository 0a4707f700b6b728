"""The Dask path on a local cluster: results do not depend on the number of workers."""

from __future__ import annotations

import pyarrow.parquet as pq
from dask.distributed import Client, LocalCluster

from stationsim.campaign import CampaignSpec, Dispersions, run_campaign


def test_one_and_two_workers_give_identical_samples(tmp_path, prepared):
    # one cluster, used through --scheduler as an existing cluster: first with one worker, then
    # scaled to two (cheaper than starting two clusters)
    spec = CampaignSpec("example-small", 300, seed=5, flight="Soyuz TM-23", batch_size=50,
                        dispersions=Dispersions.from_specs([
                            "launch_slip_s=normal(0, 20)", "insertion_z_m=normal(0, 500)",
                            "burn_pointing_deg=normal(0, 0.5)", "nav_position_m=normal(0, 10)"]))
    tables = []
    with (LocalCluster(n_workers=1, threads_per_worker=1, processes=True,
                       dashboard_address=":0", silence_logs=40) as cluster,
          Client(cluster) as client):
        for workers in (1, 2):
            cluster.scale(workers)
            client.wait_for_workers(workers)
            assert len(client.scheduler_info()["workers"]) == workers
            result = run_campaign(spec, tmp_path / f"w{workers}",
                                  scheduler=cluster.scheduler_address, prepared=prepared)
            tables.append(pq.read_table(result.samples_path))
    in_process = pq.read_table(run_campaign(spec, tmp_path / "w0", workers=0,
                                            prepared=prepared).samples_path)
    assert tables[0].num_rows == 300
    assert tables[0].equals(tables[1]) and tables[0].equals(in_process)
