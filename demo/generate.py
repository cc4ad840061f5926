"""Rows of demo facilities, cases and case events, as tuples ready for COPY (demo.bulk).

Each batch draws from its own random.Random seeded with (seed, adcode, batch), so one seed gives
the same data, and a district's own figures are the same at every scale (only the station nearest
to a walk-in case may differ once the background adds stations). Points come from PostGIS
(demo.places); everything else is drawn here. Nothing here queries the database while rows are
made, so they can stream straight into a COPY.

Cases are written as if they had gone through the workflow: a `created` event, the routing
(`assignment`) event, one `status` event per transition with the union's staff account as actor,
a `rating` event when rated; the case's own timestamps (responded, resolved, closed, rated) are
the times of those events.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from functools import cache
from itertools import accumulate

from cases.models import (
    REOPENING_RATING,
    Category,
    Channel,
    EventKind,
    LocationSource,
    Status,
    deadlines_for,
)
from demo import names
from demo.bulk import Ewkt, encode_text, point
from demo.places import Region, nearest_stations, sample_around_core, sample_points
from demo.spec import CaseBatch, FacilityBatch, LonLat
from stations.hours import parse_hours
from stations.models import Amenity, Facility, FacilityKind, FacilityStatus

FACILITY_COLUMNS = (
    "id", "kind", "name", "address", "location", "area_id", "operator_id", "status", "amenities",
    "opening_hours", "open_24h", "open_minutes", "seats", "meal_price_min", "meal_price_max",
    "sockets", "battery_swap", "charging_price", "last_verified", "is_demo", "created_at",
    "updated_at",
)
CASE_COLUMNS = (
    "id", "reference", "category", "description", "channel", "location", "location_source",
    "address", "facility_id", "area_id", "assigned_union_id", "status", "transferred_to",
    "response_due_at", "due_at", "responded_at", "resolved_at", "closed_at", "resolution",
    "reopen_count", "reporter_name", "reporter_phone", "tracking_token", "rating",
    "rating_comment", "rated_at", "is_demo", "created_at", "updated_at",
)
EVENT_COLUMNS = (
    "case_id", "kind", "actor_id", "actor_label", "from_value", "to_value", "note", "public",
    "created_at",
)


@dataclass(frozen=True)
class Office:
    """A union and the demo staff account acting for it in case events."""

    union_id: int | None
    name: str
    staff_user_id: int | None
    username: str = ""


@dataclass
class District:
    area_id: int
    adcode: str
    name: str
    address_prefix: str  # e.g. 浙江省嘉兴市秀洲区
    core: LonLat
    office: Office
    parent_office: Office  # where escalated cases go
    # How many facilities of the district carry each name so far, to number the repeats.
    names_used: dict[str, int] = field(default_factory=dict)


# --- facilities ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Style:
    hours: tuple[tuple[str, int], ...]  # (opening hours, weight)
    amenities: dict[str, float]  # amenity -> chance
    seats: tuple[int, int] | None = None
    prices: tuple[tuple[int, int], tuple[int, int]] | None = None  # ranges of (min, max) yuan


STATION_AMENITIES = {
    Amenity.DRINKING_WATER: 0.95, Amenity.SEATING: 0.95, Amenity.PHONE_CHARGING: 0.75,
    Amenity.MICROWAVE: 0.55, Amenity.TOILET: 0.5, Amenity.AIR_CONDITIONING: 0.45,
    Amenity.HEATING: 0.3, Amenity.FIRST_AID: 0.45, Amenity.WIFI: 0.4, Amenity.REPAIR_TOOLS: 0.25,
    Amenity.LOCKERS: 0.15, Amenity.LEGAL_AID: 0.1, Amenity.COUNSELLING: 0.08,
}
STATION_HOURS = (
    ("24/7", 3), ("Mo-Su 08:00-20:00", 3), ("Mo-Fr 08:00-20:00; Sa,Su 10:00-16:00", 2),
    ("07:00-21:00", 2), ("Mo-Sa 08:30-18:00", 1), ("Mo-Su 10:00-02:00", 1),
)
CANTEEN_HOURS = (
    ("Mo-Su 10:30-13:30,16:30-20:00", 3),
    ("Mo-Fr 10:00-14:00,17:00-21:00; Sa,Su 10:30-20:30", 2),
    ("Mo-Su 06:30-09:00,10:30-14:00,17:00-22:00", 1),
)
CANTEEN_AMENITIES = {
    Amenity.SEATING: 1.0, Amenity.DRINKING_WATER: 0.9, Amenity.AIR_CONDITIONING: 0.7,
    Amenity.MICROWAVE: 0.6, Amenity.WIFI: 0.5, Amenity.PHONE_CHARGING: 0.5,
}
FACILITY_STYLES: dict[tuple[str, str], Style] = {
    (FacilityKind.REST_STATION, "default"): Style(STATION_HOURS, STATION_AMENITIES, seats=(4, 20)),
    # 朝阳区: water, microwave and phone charging nearly everywhere, counselling in many.
    (FacilityKind.REST_STATION, "chaoyang"): Style(
        STATION_HOURS,
        {
            **STATION_AMENITIES, Amenity.DRINKING_WATER: 1.0, Amenity.MICROWAVE: 0.92,
            Amenity.PHONE_CHARGING: 0.97, Amenity.COUNSELLING: 0.4,
        },
        seats=(6, 30),
    ),
    (FacilityKind.CANTEEN, "default"): Style(
        CANTEEN_HOURS, CANTEEN_AMENITIES, seats=(30, 120), prices=((10, 12), (15, 20))
    ),
    # 秀洲区's 小哥暖心食堂: meals 8-10 yuan.
    (FacilityKind.CANTEEN, "xiaoge"): Style(
        CANTEEN_HOURS, CANTEEN_AMENITIES, seats=(20, 60), prices=((8, 8), (10, 10))
    ),
    (FacilityKind.CHARGING_POINT, "default"): Style(
        (("24/7", 8), ("Mo-Su 06:00-23:00", 2)),
        {Amenity.REPAIR_TOOLS: 0.3, Amenity.SEATING: 0.2, Amenity.LOCKERS: 0.1},
    ),
}
STATUS_MIX = (
    (FacilityStatus.OPEN, 92), (FacilityStatus.TEMPORARILY_CLOSED, 4),
    (FacilityStatus.PLANNED, 2), (FacilityStatus.CLOSED, 2),
)
AMENITY_ORDER = {value: i for i, value in enumerate(Amenity.values)}


@cache
def _hours(text: str) -> tuple[str, bool, str | None]:
    """(canonical text, open 24 h, open_minutes as the column stores it), as Facility.save() does."""
    hours = parse_hours(text)
    minutes = None
    if not hours.always_open:
        minutes = Facility._meta.get_field("open_minutes").get_prep_value(hours.minute_ranges)
    return hours.text, hours.always_open, minutes


@cache
def _cumulative(pairs: tuple[tuple[str, int], ...]) -> tuple[list[str], list[int]]:
    return [value for value, _ in pairs], list(accumulate(weight for _, weight in pairs))


def _weighted(rng: random.Random, pairs: tuple[tuple[str, int], ...]) -> str:
    values, cum_weights = _cumulative(pairs)
    return rng.choices(values, cum_weights=cum_weights)[0]


def _unique(district: District, name: str) -> str:
    """The name, or the name numbered if the district has it already: 人民路社区食堂（2）."""
    k = district.names_used.get(name, 0) + 1
    district.names_used[name] = k
    return name if k == 1 else f"{name}（{k}）"


def facility_points(
    district: District, batch: FacilityBatch, rng: random.Random
) -> list[LonLat]:
    if batch.towns:
        points = [seat for _, seat in batch.towns]
    elif batch.near and batch.ring_m:
        inner, outer = batch.ring_m
        region = Region(district.area_id, near=batch.near, within_m=outer, beyond_m=inner)
        points = sample_points(region, batch.count, rng.randrange(1, 2**31))
    else:
        points = sample_around_core(
            district.area_id, district.core, batch.count, rng, avoid=batch.avoid
        )
    if len(points) != batch.count:
        raise ValueError(f"{district.name}: {len(points)} places for {batch.count} {batch.kind}")
    return points


def facility_rows(
    district: District,
    batch: FacilityBatch,
    rng: random.Random,
    points: Sequence[LonLat],
    ids: Sequence[int],
    anchor: datetime,
) -> Iterator[tuple]:
    """The batch's rows at `points` (from facility_points) with primary keys `ids`. No queries,
    so the rows can stream into a COPY."""
    style = FACILITY_STYLES.get((batch.kind, batch.style)) or FACILITY_STYLES[(batch.kind, "default")]
    not_24h = tuple(pair for pair in style.hours if pair[0] != "24/7")
    for i, ((lon, lat), pk) in enumerate(zip(points, ids, strict=True)):
        road = rng.choice(names.ROADS)
        address = names.street_address(rng, district.address_prefix, road)
        if batch.towns:
            town = batch.towns[i][0]
            name = f"{town}总工会户外劳动者驿站"
            address = names.street_address(rng, district.address_prefix + town, road)
        elif batch.kind == FacilityKind.REST_STATION:
            host, suffix = rng.choice(names.STATION_HOSTS)
            name = f"{road}{host}{suffix}"
        elif batch.kind == FacilityKind.CANTEEN:
            template = names.XIAOGE if batch.style == "xiaoge" else rng.choice(names.CANTEEN_NAMES)
            name = template.format(road=road)
        else:
            swap = rng.random() < 0.25
            name = rng.choice(names.SWAP_NAMES if swap else names.CHARGING_NAMES).format(road=road)
        name = _unique(district, name)

        if batch.open_24h is not None:
            text = "24/7" if i < batch.open_24h else _weighted(rng, not_24h)
        else:
            text = _weighted(rng, style.hours)
        hours_text, open_24h, minutes = _hours(text)
        amenities = sorted(
            (a for a, chance in style.amenities.items() if rng.random() < chance),
            key=AMENITY_ORDER.__getitem__,
        )
        status = _weighted(rng, STATUS_MIX) if batch.varied_status else FacilityStatus.OPEN
        price_min = price_max = sockets = charging_price = seats = None
        battery_swap = False
        operator = district.office.union_id
        if style.seats:
            seats = rng.randint(*style.seats)
        if batch.kind == FacilityKind.CANTEEN:
            (lo_min, hi_min), (lo_max, hi_max) = style.prices
            price_min, price_max = Decimal(rng.randint(lo_min, hi_min)), Decimal(rng.randint(lo_max, hi_max))
        elif batch.kind == FacilityKind.CHARGING_POINT:
            operator = None  # run by property managers and tower companies, not the union
            battery_swap = "换电" in name
            sockets = None if battery_swap else rng.randrange(8, 41, 2)
            charging_price = Decimal(rng.randint(30, 50) if battery_swap else rng.randint(8, 20)) / 10
        created = anchor - timedelta(days=rng.uniform(30, 900))
        updated = created + (anchor - created) * rng.random()
        verified = (anchor - timedelta(days=rng.uniform(0, 180))).date()
        yield (
            pk, batch.kind, name, address, point(lon, lat), district.area_id, operator, status,
            amenities, hours_text, open_24h, minutes, seats, price_min, price_max, sockets,
            battery_swap, charging_price, verified, True, created, updated,
        )


# --- cases -----------------------------------------------------------------------------------
#
# The paths follow cases.models.TRANSITIONS and write what the workflow methods write: a status
# event per action (actor: the staff account, label its username), an assignment event with an
# escalation or a transfer, a reopened case gets a fresh resolution term and loses its answer
# until resolved again, and a rating of REOPENING_RATING or less reopens the case.

RESOLVED, OPEN, ESCALATED, TRANSFERRED, REJECTED = (
    "resolved", "open", "escalated", "transferred", "rejected"
)
HOUR = timedelta(hours=1)
DAY = timedelta(days=1)
YEAR = timedelta(days=365)

NOTES = {
    Status.ACCEPTED: "已接单，将按时限办理。",
    Status.IN_PROGRESS: "已联系当事人，正在核实办理。",
    Status.ESCALATED: "需上级工会协调，已上报。",
    Status.REOPENED: "当事人来电反映问题未解决，重新办理。",
    Status.CLOSED: "已办结归档。",
}
LOCATION_SOURCE = {
    Channel.ONLINE: LocationSource.GCJ02,  # WeChat and mini-programs report GCJ-02
    Channel.OPEN311: LocationSource.GPS,
    Channel.STATION: LocationSource.FACILITY,
    Channel.VISIT: LocationSource.STAFF_MAP,
    Channel.HOTLINE: LocationSource.STAFF_MAP,
    Channel.RECEPTION_DAY: LocationSource.STAFF_MAP,
}
# Channels where a staff member enters the case (cases.intake.submit with `staff`).
ENTERED_BY_STAFF = {Channel.HOTLINE, Channel.RECEPTION_DAY, Channel.VISIT}
REPORTER, OFFICE, PARENT = "reporter", "office", "parent"  # who acts in a step


def outcomes(batch: CaseBatch, rng: random.Random) -> list[str]:
    """Exactly round(count * share) cases of each outcome, in a seeded order."""
    n = batch.count
    resolved = round(n * batch.resolved_share)
    rest = n - resolved
    transferred = min(rest, round(n * batch.transferred_share))
    rejected = min(rest - transferred, round(n * batch.rejected_share))
    escalated = min(rest - transferred - rejected, round(n * batch.escalated_share / 2))
    open_ = rest - transferred - rejected - escalated
    result = (
        [RESOLVED] * resolved + [TRANSFERRED] * transferred + [REJECTED] * rejected
        + [ESCALATED] * escalated + [OPEN] * open_
    )
    rng.shuffle(result)
    return result


@dataclass
class Story:
    """One case's life as events (kind, time, who, from, to, note) and the fields they leave."""

    district: District
    category: str
    created: datetime
    events: list[tuple[str, datetime, str, str, str, str]] = field(default_factory=list)
    status: str = Status.RECEIVED
    escalated: bool = False
    responded: datetime | None = None
    resolved: datetime | None = None
    closed: datetime | None = None
    resolution: str = ""
    reopen_count: int = 0
    rating: int | None = None
    rated: datetime | None = None
    comment: str = ""
    transferred_to: str = ""

    def __post_init__(self):
        self.due = self.created + deadlines_for(self.category)[1]

    @property
    def office(self) -> Office:
        return self.district.parent_office if self.escalated else self.district.office

    def act(self, at: datetime, to: str, note: str = "", who: str = "") -> datetime:
        who = who or (PARENT if self.escalated else OFFICE)
        self.events.append((EventKind.STATUS, at, who, self.status, to, note or NOTES.get(to, "")))
        self.status = to
        if to in (Status.ACCEPTED, Status.IN_PROGRESS, Status.RESOLVED, Status.REJECTED):
            self.responded = self.responded or at
        if to == Status.RESOLVED:
            self.resolved, self.resolution = at, note
        elif to == Status.CLOSED:
            self.closed = at
        elif to == Status.REOPENED:
            self.reopen_count += 1
            self.resolved = self.closed = None
            self.resolution = ""
            self.due = at + deadlines_for(self.category)[1]
        return at

    def escalate(self, at: datetime) -> datetime:
        below = self.office
        self.act(at, Status.ESCALATED)
        self.escalated = True
        self.events.append((EventKind.ASSIGNMENT, at, OFFICE, below.name, self.office.name, ""))
        return at

    def transfer(self, at: datetime, department: str) -> datetime:
        self.act(at, Status.TRANSFERRED, f"已转{department}办理。")
        self.events.append((EventKind.ASSIGNMENT, at, OFFICE, self.office.name, department, ""))
        self.transferred_to = department
        return at

    def rate(self, at: datetime, score: int, comment: str) -> None:
        self.events.append((EventKind.RATING, at, REPORTER, "", str(score), comment))
        self.rating, self.rated, self.comment = score, at, comment
        if score <= REOPENING_RATING:
            self.act(at, Status.REOPENED, comment, who=REPORTER)


def _handling(rng: random.Random) -> timedelta:
    # Gamma(2.2, 3 days): median about 6 days, mean 6.6, a tail past the 7-day pledge.
    return max(0.3, min(45.0, rng.gammavariate(2.2, 3.0))) * DAY


def _between(rng: random.Random, start: datetime, end: datetime, low: float, high: float) -> datetime:
    return start + (end - start) * rng.uniform(low, high)


def story(
    outcome: str, batch: CaseBatch, category: str, district: District, rng: random.Random,
    anchor: datetime,
) -> Story:
    response = min(rng.expovariate(1 / 5), 48) * HOUR
    answer = names.RESOLUTIONS[category]
    if outcome == RESOLVED:
        handling = _handling(rng)
        reopen = rng.random() < batch.reopened_share
        escalate = rng.random() < batch.escalated_share
        again = rng.uniform(1, 6) * DAY if reopen else timedelta(0)
        span = handling + again + (4 * DAY if reopen else timedelta(0))
        created = anchor - span - (YEAR - span) * rng.random() if span < YEAR else anchor - span
        s = Story(district, category, created)
        done = created + handling
        accepted = s.act(created + min(response, handling * 0.3), Status.ACCEPTED)
        started = s.act(_between(rng, accepted, done, 0.05, 0.3), Status.IN_PROGRESS)
        if escalate:
            up = s.escalate(_between(rng, started, done, 0.1, 0.4))
            taken = s.act(_between(rng, up, done, 0.05, 0.2), Status.ACCEPTED)
            s.act(_between(rng, taken, done, 0.05, 0.3), Status.IN_PROGRESS)
        s.act(done, Status.RESOLVED, answer)
        if reopen:
            if rng.random() < 0.5:  # the worker's low rating reopens it
                back = done + rng.uniform(1, 72) * HOUR
                score = rng.choice((1, REOPENING_RATING))
                s.rate(back, score, rng.choice(names.RATING_COMMENTS[score]))
            else:  # the worker phoned back
                back = s.act(done + rng.uniform(1, 4) * DAY, Status.REOPENED)
            taken = s.act(back + rng.uniform(1, 8) * HOUR, Status.ACCEPTED)
            s.act(taken + rng.uniform(1, 8) * HOUR, Status.IN_PROGRESS)
            s.act(back + again, Status.RESOLVED, answer)
        if rng.random() < batch.rated_share:
            at = s.resolved + rng.uniform(1, 72) * HOUR
            if at <= anchor:
                # A final rating: a low one would have reopened the case once more.
                score = rng.choices((5, 4, 3), (60, 28, 12))[0]
                s.rate(at, score, rng.choice(names.RATING_COMMENTS[score]))
        closing = max(s.resolved, s.rated or s.resolved) + rng.uniform(3, 7) * DAY
        if closing <= anchor:
            s.act(closing, Status.CLOSED)
        return s
    if outcome in (OPEN, ESCALATED):
        # Open cases are mostly recent; the older ones are the overdue ones.
        age = min(rng.expovariate(1 / 8), 300) * DAY
        s = Story(district, category, anchor - age)
        if age < response:
            return s
        accepted = s.act(s.created + response, Status.ACCEPTED)
        wait = rng.uniform(1, 24) * HOUR
        if accepted + wait > anchor:
            return s
        started = s.act(accepted + wait, Status.IN_PROGRESS)
        if outcome == ESCALATED:
            s.escalate(_between(rng, started, anchor, 0.2, 0.8))
        elif age > 6 * DAY and rng.random() < 0.1:
            done = s.act(_between(rng, started, anchor, 0.2, 0.5), Status.RESOLVED, answer)
            s.act(_between(rng, done, anchor, 0.2, 0.8), Status.REOPENED)
        return s
    s = Story(district, category, anchor - (YEAR - 3 * DAY) * rng.random() - 3 * DAY)
    if outcome == TRANSFERRED:
        accepted = s.act(s.created + response, Status.ACCEPTED)
        s.transfer(accepted + rng.uniform(2, 48) * HOUR, rng.choice(names.TRANSFER_TARGETS))
    else:
        s.act(s.created + rng.uniform(1, 24) * HOUR, Status.REJECTED, rng.choice(names.REJECTIONS))
    return s


def case_points(district: District, batch: CaseBatch, rng: random.Random) -> list[LonLat]:
    if batch.near and batch.within_m:
        region = Region(district.area_id, near=batch.near, within_m=batch.within_m)
        points = sample_points(region, batch.count, rng.randrange(1, 2**31))
    else:
        points = sample_around_core(district.area_id, district.core, batch.count, rng)
    if len(points) != batch.count:
        raise ValueError(f"{district.name}: {len(points)} places for {batch.count} cases")
    return points


@dataclass(frozen=True)
class CasePlaces:
    """Where a batch's cases happened: found by queries before the rows stream into a COPY."""

    points: list[LonLat]
    channels: list[str]
    stations: dict[int, tuple]  # walk-in case index -> (id, lon, lat, name, address) of its station


def place_cases(district: District, batch: CaseBatch, rng: random.Random) -> CasePlaces:
    points = case_points(district, batch, rng)
    channels = rng.choices(list(batch.channels), list(batch.channels.values()), k=batch.count)
    walk_ins = [i for i, channel in enumerate(channels) if channel == Channel.STATION]
    stations = nearest_stations(district.area_id, [points[i] for i in walk_ins])
    return CasePlaces(
        points, channels,
        {i: station for i, station in zip(walk_ins, stations, strict=True) if station},
    )


def case_rows(
    district: District,
    batch: CaseBatch,
    places: CasePlaces,
    rng: random.Random,
    anchor: datetime,
    ids: Sequence[int],
    serials: Sequence[int],
    events: list[str],
) -> Iterator[tuple]:
    """The batch's case rows; each case's events go to `events` as COPY lines. No queries."""
    categories, cum_weights = list(batch.categories), list(accumulate(batch.categories.values()))
    actors = {
        REPORTER: f"\\N\t{REPORTER}",
        OFFICE: _actor(district.office),
        PARENT: _actor(district.parent_office),
    }
    for i, outcome in enumerate(outcomes(batch, rng)):
        pk, channel = ids[i], places.channels[i]
        category = rng.choices(categories, cum_weights=cum_weights)[0]
        s = story(outcome, batch, category, district, rng, anchor)
        road = rng.choice(names.ROADS)
        description = rng.choice(names.DESCRIPTIONS[category]).format(
            place=batch.town or district.name, road=road
        )
        address = names.street_address(rng, district.address_prefix + batch.town, road)
        lon, lat = places.points[i]
        location: Ewkt | None = point(lon, lat)
        source, facility_id, routed = LOCATION_SOURCE[channel], None, "routed by location"
        station = places.stations.get(i)
        if station:
            facility_id, lon, lat, station_name, address = station
            location, routed = point(lon, lat), "routed by facility"
            if category == Category.OTHER:
                # "Other" raised at a station is mostly about the station itself. Relabelled
                # without drawing from rng, so every other row stays as the seed made it.
                category = Category.FACILITY_PROBLEM
                description = names.FACILITY_PROBLEMS[i % len(names.FACILITY_PROBLEMS)]
            description = f"在{station_name}反映：{description}"
        elif channel == Channel.STATION or (
            channel in (Channel.HOTLINE, Channel.RECEPTION_DAY) and rng.random() < 0.15
        ):
            location, source, routed = None, "", "entered by the union's staff"
        first = OFFICE if channel in ENTERED_BY_STAFF else REPORTER
        s.events[:0] = [
            (EventKind.CREATED, s.created, first, "", Status.RECEIVED, channel),
            (EventKind.ASSIGNMENT, s.created, first, "", district.office.name, routed),
        ]
        # Written directly as COPY text: the events are most of the rows of a national load,
        # and the generic encoder would spend most of its time on them.
        events.extend(
            f"{pk}\t{kind!s}\t{actors[who]}\t{encode_text(str(before))}\t{encode_text(str(after))}"
            f"\t{encode_text(note)}\tt\t{at.isoformat()}"
            for kind, at, who, before, after, note in s.events
        )
        yield (
            pk, f"{district.adcode}-{s.created.year}-{serials[i]:06d}", category, description,
            channel, location, source, address, facility_id, district.area_id,
            s.office.union_id, s.status, s.transferred_to,
            s.created + deadlines_for(category)[0], s.due, s.responded, s.resolved, s.closed,
            s.resolution, s.reopen_count, names.person(rng), names.masked_mobile(rng),
            f"{rng.getrandbits(192):048x}", s.rating, s.comment, s.rated, True, s.created,
            s.events[-1][1] if s.events else s.created,
        )


def _actor(office: Office) -> str:
    # actor_id and actor_label as cases.models.CaseChange writes them: the account and its
    # username, else nobody and "system".
    if office.staff_user_id:
        return f"{office.staff_user_id}\t{encode_text(office.username)}"
    return "\\N\tsystem"
