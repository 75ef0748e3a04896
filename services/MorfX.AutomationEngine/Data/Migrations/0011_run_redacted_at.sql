-- A run whose customer (or shop) was redacted: its content is gone and the records its steps made with it. A shop's erasure
-- goes a page of runs per transaction and takes the runs not yet marked, so it resumes where a crash left it.
ALTER TABLE automation_runs ADD COLUMN redacted_at timestamptz NULL;
