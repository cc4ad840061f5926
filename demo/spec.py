"""What the demo contains: the figures from the source articles and where things go.

Everything here is data; `demo.generate` turns it into rows. Coordinates are WGS84 (lon, lat).
The urban cores and town seats are approximate (within a few kilometres), picked to fall inside the
real district boundaries (tests/demo/test_places.py checks that with ST_Covers); only the 王店镇 seat
comes from the issue. Towns have no polygons (fixtures/towns.csv has names and codes only), so
anything "in a town" is placed around its seat.
"""

from __future__ import annotations

from dataclasses import dataclass, field

USERNAME_PREFIX = "demo-"
# One password for every demo staff account: demo only, printed by the command, in docs/demo.md.
DEMO_PASSWORD = "waystation-demo"
DEMO_GROUP = "demo-staff 演示工作人员"
# The real national union hotline; every demo union gives it rather than an invented landline.
UNION_PHONE = "12351"

LonLat = tuple[float, float]

WANGDIAN_CODE = "330411105"
WANGDIAN_SEAT: LonLat = (120.6995, 30.6550)
# The charging complaints of 王店镇 cluster within this distance of its seat ...
WANGDIAN_HOTSPOT_M = 1_200
# ... its few charging points stand at the edge of the town, this far from the seat ...
WANGDIAN_EDGE_M = (3_500, 5_000)
# ... and no other charging point of the district comes closer than this.
WANGDIAN_CLEAR_M = 6_000

# Share of generated points around a district's urban core: (share, within metres); the rest are
# spread uniformly over the whole district, so density falls off from the core outwards.
CORE_MIX: tuple[tuple[float, float], ...] = ((0.45, 3_000), (0.25, 8_000))

# Urban cores of the five districts of the source articles; other districts use a point on the
# surface of their boundary (ST_PointOnSurface).
URBAN_CORES: dict[str, LonLat] = {
    "330411": (120.712, 30.768),  # 秀洲区: 新城街道, next to the centre of 嘉兴
    "330602": (120.580, 30.000),  # 越城区: old town of 绍兴
    "330723": (119.816, 28.892),  # 武义县: county town
    "431302": (111.994, 27.728),  # 娄星区: centre of 娄底
    "110105": (116.458, 39.915),  # 朝阳区: CBD, 国贸 to 三里屯
}

# 秀洲区's town and street unions each run a station at their seat (codes from fixtures/towns.csv).
XIUZHOU_TOWN_SEATS: dict[str, tuple[str, LonLat]] = {
    "330411002": ("新城街道", (120.709, 30.764)),
    "330411003": ("嘉北街道", (120.725, 30.815)),
    "330411004": ("塘汇街道", (120.770, 30.790)),
    "330411005": ("高照街道", (120.745, 30.795)),
    "330411101": ("王江泾镇", (120.715, 30.870)),
    "330411103": ("油车港镇", (120.790, 30.820)),
    "330411104": ("新塍镇", (120.615, 30.808)),
    WANGDIAN_CODE: ("王店镇", WANGDIAN_SEAT),
    "330411106": ("洪合镇", (120.640, 30.700)),
}

# Mixes of channels and categories (weights) for cases over the past year.
CHANNELS_ALL = {
    "hotline": 0.25, "online": 0.30, "station": 0.14, "visit": 0.10, "reception_day": 0.09,
    "open311": 0.12,
}
CATEGORIES_ALL = {
    "charging_shortage": 0.10, "canteen_shortage": 0.06, "station_shortage": 0.08,
    "wage_arrears": 0.18, "labour_contract": 0.12, "platform_rules": 0.16, "safety": 0.08,
    "travel_home": 0.05, "skills_training": 0.07, "other": 0.10, "facility_problem": 0.04,
}
# What staff hear on visits to firms (越城区 "工会进企业"): contracts, pay, safety.
CATEGORIES_VISIT = {
    "wage_arrears": 0.28, "labour_contract": 0.26, "safety": 0.16, "platform_rules": 0.10,
    "skills_training": 0.10, "other": 0.10,
}


@dataclass(frozen=True)
class FacilityBatch:
    kind: str
    count: int
    # Names, prices and hours come from `style` (see demo.generate.FACILITY_STYLES).
    style: str = "default"
    open_24h: int | None = None  # exactly this many round the clock; None: drawn from the style
    near: LonLat | None = None  # place around this point instead of the district's urban core
    ring_m: tuple[float, float] | None = None  # between these distances from `near`
    avoid: tuple[LonLat, float] | None = None  # never within this many metres of this point
    towns: tuple[tuple[str, LonLat], ...] = ()  # one each at these town seats, run by the town union
    varied_status: bool = False  # a few temporarily closed, planned or closed


@dataclass(frozen=True)
class CaseBatch:
    count: int
    channels: dict[str, float] = field(default_factory=lambda: CHANNELS_ALL)
    categories: dict[str, float] = field(default_factory=lambda: CATEGORIES_ALL)
    resolved_share: float = 0.90  # resolved or closed by now; the exact count is round(count*share)
    rated_share: float = 0.70  # of the resolved ones
    escalated_share: float = 0.03
    transferred_share: float = 0.02
    rejected_share: float = 0.02
    reopened_share: float = 0.04  # of the resolved ones: resolved, reopened, resolved again
    near: LonLat | None = None  # cluster within `within_m` of this point
    within_m: float | None = None
    town: str = ""  # town named in the addresses


@dataclass(frozen=True)
class DistrictSpec:
    adcode: str
    facilities: tuple[FacilityBatch, ...]
    cases: tuple[CaseBatch, ...]


SEED_DISTRICTS: dict[str, DistrictSpec] = {
    spec.adcode: spec
    for spec in (
        DistrictSpec(
            "330411",  # 秀洲区
            facilities=(
                FacilityBatch("canteen", 23, style="xiaoge"),  # 小哥暖心食堂, meals 8-10 yuan
                FacilityBatch(
                    "rest_station", len(XIUZHOU_TOWN_SEATS),
                    towns=tuple(XIUZHOU_TOWN_SEATS.values()),
                ),
                FacilityBatch("rest_station", 16),
                FacilityBatch(
                    "charging_point", 36, avoid=(WANGDIAN_SEAT, WANGDIAN_CLEAR_M)
                ),
                # the few charging points of 王店镇, at the edge of the town
                FacilityBatch(
                    "charging_point", 2, near=WANGDIAN_SEAT, ring_m=WANGDIAN_EDGE_M
                ),
            ),
            cases=(
                CaseBatch(
                    130,
                    channels={"online": 0.45, "hotline": 0.30, "station": 0.10, "open311": 0.15},
                    categories={"charging_shortage": 1.0},
                    # a shortage takes building work, not a phone call: most are still open
                    resolved_share=0.35,
                    near=WANGDIAN_SEAT,
                    within_m=WANGDIAN_HOTSPOT_M,
                    town="王店镇",
                ),
                CaseBatch(180),
            ),
        ),
        DistrictSpec(
            "431302",  # 娄星区: 37 stations, 5 open round the clock
            facilities=(
                FacilityBatch("rest_station", 37, open_24h=5),
                FacilityBatch("canteen", 6),
                FacilityBatch("charging_point", 15),
            ),
            cases=(CaseBatch(150),),
        ),
        DistrictSpec(
            "110105",  # 朝阳区: a dense network (a tenth of the 3,500+ Beijing counts), amenities
            facilities=(
                FacilityBatch("rest_station", 350, style="chaoyang"),
                FacilityBatch("canteen", 30),
                FacilityBatch("charging_point", 60),
            ),
            cases=(CaseBatch(420),),
        ),
        DistrictSpec(
            "330602",  # 越城区: staff visits to firms, 876 of 925 resolved (94.7 %)
            facilities=(
                FacilityBatch("rest_station", 20),
                FacilityBatch("canteen", 5),
                FacilityBatch("charging_point", 20),
            ),
            cases=(
                CaseBatch(
                    925, channels={"visit": 1.0}, categories=CATEGORIES_VISIT,
                    resolved_share=876 / 925, escalated_share=0.01, transferred_share=0.01,
                    rejected_share=0.0,
                ),
            ),
        ),
        DistrictSpec(
            "330723",  # 武义县: online platform, routed to the union, rated
            facilities=(
                FacilityBatch("rest_station", 12),
                FacilityBatch("canteen", 3),
                FacilityBatch("charging_point", 8),
            ),
            cases=(
                CaseBatch(
                    260, channels={"online": 1.0}, resolved_share=0.88, rated_share=0.92,
                    escalated_share=0.05, transferred_share=0.04,
                ),
            ),
        ),
    )
}

# Every other district, at every scale.
OTHER_DISTRICT = DistrictSpec(
    "",
    facilities=(
        FacilityBatch("rest_station", 5, varied_status=True),
        FacilityBatch("canteen", 2, varied_status=True),
        FacilityBatch("charging_point", 3, varied_status=True),
    ),
    cases=(CaseBatch(14),),
)


@dataclass(frozen=True)
class Scale:
    # Totals the background fills up to, on top of the districts' own figures; None: no background.
    facilities: int | None
    cases: int | None


SCALES: dict[str, Scale] = {
    "small": Scale(None, None),
    "city": Scale(100_000, 100_000),
    "national": Scale(1_000_000, 1_000_000),
}
# Background mix of facility kinds.
BACKGROUND_KINDS = {"rest_station": 0.6, "canteen": 0.15, "charging_point": 0.25}
# Urban districts (…区) get this many times the background density of counties (…县, …市).
URBAN_DISTRICT_WEIGHT = 3.0
