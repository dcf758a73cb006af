-- LSH band rows by time within each band key: Candidates asks for the
-- articles sharing a key published since a time (the window before a new
-- article); through the primary key (band_key, article_id) it read every
-- row of a key, however old, so a common key cost more as the store grew.
CREATE INDEX lsh_bands_key_time ON lsh_bands (band_key, sort_time);
