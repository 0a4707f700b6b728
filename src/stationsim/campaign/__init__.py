"""Monte Carlo campaigns: dispersed rendezvous of one flight, flown in batches on Dask.

>>> from stationsim.campaign import CampaignSpec, Dispersions
>>> spec = CampaignSpec("example-small", samples=100, seed=7, flight="Soyuz TM-23",
...                     dispersions=Dispersions.from_specs(["density_scale=normal(1, 0.2)"]))
>>> len(spec.batches())
1
"""

from __future__ import annotations

from stationsim.campaign.dispersions import Dispersions, Distribution, parse_vary
from stationsim.campaign.run import CampaignResult, CampaignSpec, run_campaign

__all__ = ["CampaignResult", "CampaignSpec", "Dispersions", "Distribution", "parse_vary",
           "run_campaign"]
