-- Workers share the crawl by host: a host is leased to one worker (a
-- khabar process) at a time, so that per-host politeness holds across the
-- cluster. until is when the lease ends; after a release it is the end of
-- the host's politeness pause. As SQLite's migration 0011.
CREATE TABLE host_leases (
	host  text        PRIMARY KEY,
	owner text        NOT NULL,
	until timestamptz NOT NULL
);

-- The workers of a crawl asked for by hand, and when the round began:
-- sources fetched since then are not polled again in that round.
CREATE TABLE crawl_rounds (
	owner      text        PRIMARY KEY,
	started_at timestamptz NOT NULL,
	until      timestamptz NOT NULL
);
