-- SPDX-License-Identifier: GPL-2.0
--
-- geofence: the fleet's compliance evidence in PostgreSQL 15 with the hll
-- extension (Debian: postgresql-15 postgresql-15-hll).  Run once, as a
-- superuser, in the database the agents' evidence.postgres names:
--
--   psql -d geofence -v ON_ERROR_STOP=1 -f scripts/evidence-schema.sql
--
-- Then one login role per gateway, member of geofence_agent, named as the
-- gateway is to be known (the agent writes its rows under current_user):
--
--   CREATE ROLE "gw-fra-1" LOGIN PASSWORD '...' IN ROLE geofence_agent;
--
-- and for the security team, members of geofence_reader.  Re-running the
-- file is safe: it creates what is missing and replaces the views.
--
-- One row per (gateway, day, category, destination): the day's HyperLogLog
-- (`sketch`, 2^11 registers of 5 bits: hll's defaults) and beside it what
-- the bottom-k estimate needs (`sample`: the k smallest keyed hashes and
-- how many sampled packets carried each).  docs/dlp.md explains the
-- columns, the estimates and what the rows reveal.

\set ON_ERROR_STOP 1
CREATE EXTENSION IF NOT EXISTS hll;
CREATE SCHEMA IF NOT EXISTS geofence;

DO $$
BEGIN
	IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'geofence_agent') THEN
		CREATE ROLE geofence_agent NOLOGIN;
	END IF;
	IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'geofence_reader') THEN
		CREATE ROLE geofence_reader NOLOGIN;
	END IF;
END $$;

CREATE TABLE IF NOT EXISTS geofence.evidence (
	gateway          text NOT NULL,         -- the agent's role: current_user at upload
	day              date NOT NULL,         -- UTC
	category         text NOT NULL,         -- ssn, payment_card, genomic... (docs/dlp.md)
	destination      text NOT NULL,         -- ISO country code, or reserved/unknown/override:NAME
	unit             text NOT NULL,         -- persons, or devices (precise geolocation)
	key_fingerprint  text NOT NULL,         -- names the hash key (never the key itself)
	sketch           hll NOT NULL,          -- distinct keyed hashes of the day
	sample           bytea NOT NULL,        -- n x (8-byte hash, 4-byte count), big-endian, ascending
	sample_k         integer NOT NULL,      -- the most hashes a day keeps
	sample_threshold numeric(20, 0) NOT NULL, -- every hash <= this is in sample (2^64-1: all)
	rate_min         integer NOT NULL,      -- 1-in-N of the packets counted
	rate_max         integer NOT NULL,
	packets          bigint NOT NULL,       -- sampled packets that carried a value
	occurrences      double precision NOT NULL, -- the packets each times its 1-in-N
	first_seen       timestamptz NOT NULL,
	last_seen        timestamptz NOT NULL,
	uploaded         timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (gateway, day, category, destination),
	CHECK (rate_min >= 1 AND rate_max >= rate_min AND packets >= 0)
);
CREATE INDEX IF NOT EXISTS evidence_day ON geofence.evidence (day);

-- Per gateway and day: samples the datapath skipped (its ring full, or past
-- sampling.max_per_second).  Non-zero: that day's counts are lower bounds.
CREATE TABLE IF NOT EXISTS geofence.day (
	gateway         text NOT NULL,
	day             date NOT NULL,
	samples_skipped bigint NOT NULL CHECK (samples_skipped >= 0),
	uploaded        timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (gateway, day)
);

-- The bulk thresholds of 28 CFR 202.205, "more than" this many US persons
-- (devices for precise geolocation); edit to match the agents' configuration.
CREATE TABLE IF NOT EXISTS geofence.threshold (
	category  text PRIMARY KEY,
	threshold bigint NOT NULL CHECK (threshold > 0)
);
INSERT INTO geofence.threshold VALUES
	('ssn', 100000), ('payment_card', 10000), ('aba_routing', 10000), ('iban', 10000),
	('us_passport', 100000), ('us_drivers_license', 100000), ('precise_geolocation', 1000),
	('genomic', 100), ('health_npi', 10000), ('health_mbi', 10000), ('health_icd10', 10000),
	('biometric', 1000), ('email', 100000), ('us_phone', 100000)
	ON CONFLICT (category) DO NOTHING;

-- Agents insert and update their own rows only; readers read all.
ALTER TABLE geofence.evidence ENABLE ROW LEVEL SECURITY;
ALTER TABLE geofence.day ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS agent_own_days ON geofence.day;
CREATE POLICY agent_own_days ON geofence.day FOR ALL TO geofence_agent
	USING (gateway = current_user) WITH CHECK (gateway = current_user);
DROP POLICY IF EXISTS reader_all_days ON geofence.day;
CREATE POLICY reader_all_days ON geofence.day FOR SELECT TO geofence_reader USING (true);
DROP POLICY IF EXISTS agent_own_rows ON geofence.evidence;
CREATE POLICY agent_own_rows ON geofence.evidence FOR ALL TO geofence_agent
	USING (gateway = current_user) WITH CHECK (gateway = current_user);
DROP POLICY IF EXISTS reader_all_rows ON geofence.evidence;
CREATE POLICY reader_all_rows ON geofence.evidence FOR SELECT TO geofence_reader USING (true);
REVOKE ALL ON geofence.evidence, geofence.day, geofence.threshold FROM PUBLIC;
GRANT USAGE ON SCHEMA geofence TO geofence_agent, geofence_reader;
-- SELECT: an upsert reads the row it merges into (the policy limits it to the agent's own)
GRANT SELECT, INSERT, UPDATE ON geofence.evidence, geofence.day TO geofence_agent;
GRANT SELECT ON geofence.evidence, geofence.day, geofence.threshold TO geofence_reader;

-- The rule's question for the whole fleet, over any window: distinct keyed
-- hashes in the samples of every gateway and day (hll_union_agg), beside
-- the threshold.  Where every rate is 1 (monitored traffic, the default)
-- the sample is the traffic and this is the count, within the sketch's
-- 2.3 %; where packets were sampled 1 in N it is what the samples prove (a
-- lower bound): `geofence evidence report --db` gives the estimate and the
-- upper bound from the `sample` column.
CREATE OR REPLACE FUNCTION geofence.bulk(since date, until date)
RETURNS TABLE (category text, destination text, unit text, distinct_in_samples double precision,
	       threshold bigint, share double precision, exact boolean, rate_min integer,
	       rate_max integer, gateways bigint, days bigint, packets numeric,
	       first_seen timestamptz, last_seen timestamptz, key_fingerprints bigint)
LANGUAGE sql STABLE AS $$
	SELECT e.category, e.destination, min(e.unit),
	       hll_cardinality(hll_union_agg(e.sketch)),
	       t.threshold,
	       hll_cardinality(hll_union_agg(e.sketch)) / t.threshold,
	       max(e.rate_max) = 1,
	       min(e.rate_min), max(e.rate_max),
	       count(DISTINCT e.gateway), count(DISTINCT e.day), sum(e.packets),
	       min(e.first_seen), max(e.last_seen),
	       count(DISTINCT e.key_fingerprint)
	FROM geofence.evidence e LEFT JOIN geofence.threshold t USING (category)
	WHERE e.day BETWEEN since AND until
	GROUP BY e.category, e.destination, t.threshold
$$;

-- "at any point in the preceding 12 months": the 365 days up to today.
CREATE OR REPLACE VIEW geofence.bulk_last_12_months AS
	SELECT * FROM geofence.bulk(current_date - 364, current_date);

-- Every 12-month window ending on a day with evidence: the highest share a
-- destination ever reached is the answer to "at any point".
CREATE OR REPLACE VIEW geofence.bulk_peak AS
	SELECT DISTINCT ON (b.category, b.destination)
	       b.category, b.destination, b.unit, d.day AS window_end, b.distinct_in_samples,
	       b.threshold, b.share, b.exact
	FROM (SELECT DISTINCT day FROM geofence.evidence) d,
	     LATERAL geofence.bulk(d.day - 364, d.day) b
	ORDER BY b.category, b.destination, b.share DESC NULLS LAST;

GRANT EXECUTE ON FUNCTION geofence.bulk(date, date) TO geofence_reader;
GRANT SELECT ON geofence.bulk_last_12_months, geofence.bulk_peak TO geofence_reader;
