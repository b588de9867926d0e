-- Photos and documents attached to an activity's minutes (会议记录附件), kept in the database so a
-- backup holds them and stateless servers share them.
CREATE TABLE activity_attachments (
    id            INTEGER PRIMARY KEY,
    activity_id   INTEGER NOT NULL REFERENCES activities(id),
    file_name     TEXT NOT NULL,
    content_type  TEXT NOT NULL,
    size_bytes    INTEGER NOT NULL,
    content       BLOB NOT NULL,
    uploaded_by   INTEGER NOT NULL REFERENCES accounts(id),
    uploaded_at   INTEGER NOT NULL
);
CREATE INDEX activity_attachments_activity ON activity_attachments(activity_id);
