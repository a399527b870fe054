-- Admissions and departures of every province over a period (the
-- national table) read only the period's rows.
CREATE INDEX IF NOT EXISTS province_event_counts_day ON province_event_counts (day);
