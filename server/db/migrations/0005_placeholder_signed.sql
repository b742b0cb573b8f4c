-- Placeholder on branch `rules` only: branch `signed` adds the real 0005 migration (versions must not have
-- gaps, and this branch's 0006 needs a 0005 to apply). The integrator drops this file when merging `signed`.
SELECT 1;
