-- khabar SQLite schema, version 11: workers share the crawl by host: a host
-- is leased to one worker at a time, so that per-host politeness holds across
-- workers. until is when the lease ends (unix microseconds); after a release
-- it is the end of the host's politeness pause. As PostgreSQL's migration 0006.
CREATE TABLE host_leases (
	host  TEXT    PRIMARY KEY,
	owner TEXT    NOT NULL,
	until INTEGER NOT NULL
);

-- The workers of a crawl asked for by hand, and when the round began:
-- sources fetched since then are not polled again in that round.
CREATE TABLE crawl_rounds (
	owner      TEXT    PRIMARY KEY,
	started_at INTEGER NOT NULL,
	until      INTEGER NOT NULL
);
