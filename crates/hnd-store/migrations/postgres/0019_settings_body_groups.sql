-- Settings an operator changes with `hnd settings set KEY VALUE`: the date
-- rules of hnd_domain::dates (how far ahead an event may be dated, an
-- applicant's minimum age). A key without a row has its default.
CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- Groups of bodies: a task given to "Các sở, ban, ngành cấp tỉnh" is given
-- to every Sở, Ban and ngành of the province. A body joins the groups its
-- name places it in when it is first named (hnd-store/src/tasks.rs), and
-- `hnd tasks bodies link GROUP BODY` records what the name does not say.
CREATE TABLE body_groups (
    group_id BIGINT NOT NULL REFERENCES bodies(id),
    body_id BIGINT NOT NULL REFERENCES bodies(id),
    PRIMARY KEY (group_id, body_id)
);
CREATE INDEX body_groups_body ON body_groups (body_id);

-- The bodies already known, by the rule of hnd_domain::bodies: a group is
-- named "Các sở…", a department "Sở…", "Ban…" or "Ngành…" (not the
-- Union's own boards).
INSERT INTO body_groups (group_id, body_id)
SELECT g.id, b.id FROM bodies g, bodies b
WHERE g.name_key LIKE 'cac so%'
  AND (b.name_key LIKE 'so %' OR b.name_key LIKE 'ban %' OR b.name_key LIKE 'nganh %')
  AND b.name_key NOT LIKE '%hoi nong dan%';
