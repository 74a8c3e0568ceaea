//! A job's chat sequence in the store: its comments and, since v1.1, the moderation events that
//! share their order, the latest 200 kept, and what a (re)connecting stream replays.

use rusqlite::{Connection, OptionalExtension, params};

use crate::model::Comment;
use crate::store::to_sql_err;

/// The contract's per-job chat history.
pub const COMMENTS_KEPT: i64 = 200;

/// Stores comments of one job in order, keeps the job's latest 200 events, and returns each
/// comment's service-wide order.
pub fn insert_comments(
    conn: &mut Connection,
    job_id: &str,
    comments: &[Comment],
) -> rusqlite::Result<Vec<i64>> {
    let tx = conn.transaction()?;
    let mut seqs = Vec::with_capacity(comments.len());
    for comment in comments {
        let body = serde_json::to_string(comment).map_err(to_sql_err)?;
        seqs.push(append(&tx, job_id, &comment.id, "comment", &body)?);
    }
    keep_latest(&tx, job_id)?;
    tx.commit()?;
    Ok(seqs)
}

/// Adds one event of `kind` (`comment` or `moderation`) to a job's chat sequence, keeping the
/// latest 200; returns its order.
pub fn insert_sequenced(
    conn: &Connection,
    job_id: &str,
    id: &str,
    kind: &str,
    json: &str,
) -> rusqlite::Result<i64> {
    let seq = append(conn, job_id, id, kind, json)?;
    keep_latest(conn, job_id)?;
    Ok(seq)
}

fn append(conn: &Connection, job_id: &str, id: &str, kind: &str, json: &str) -> rusqlite::Result<i64> {
    conn.prepare_cached("INSERT INTO comments (id, job_id, kind, body) VALUES (?1, ?2, ?3, ?4)")?
        .execute(params![id, job_id, kind, json])?;
    Ok(conn.last_insert_rowid())
}

fn keep_latest(conn: &Connection, job_id: &str) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "DELETE FROM comments WHERE job_id = ?1 AND seq <= (
            SELECT seq FROM comments WHERE job_id = ?1 ORDER BY seq DESC LIMIT 1 OFFSET ?2)",
    )?
    .execute(params![job_id, COMMENTS_KEPT])?;
    Ok(())
}

/// An event of a job's chat sequence as streams send it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sequenced {
    pub seq: i64,
    pub id: String,
    /// The SSE event name: `comment` or `moderation`.
    pub kind: &'static str,
    pub json: String,
}

fn read_sequenced(row: &rusqlite::Row<'_>) -> rusqlite::Result<Sequenced> {
    let kind: String = row.get(2)?;
    Ok(Sequenced {
        seq: row.get(0)?,
        id: row.get(1)?,
        kind: if kind == "moderation" {
            "moderation"
        } else {
            "comment"
        },
        json: row.get(3)?,
    })
}

/// What a (re)connecting stream replays: newer than `last_event_id` when it is an event of this
/// job still stored (a deleted comment's id included), else the latest 200. Deleted comments are
/// never replayed; the moderation events that deleted them are.
pub fn replay(
    conn: &Connection,
    job_id: &str,
    last_event_id: Option<&str>,
) -> rusqlite::Result<Vec<Sequenced>> {
    let after: Option<i64> = match last_event_id {
        Some(id) => conn
            .query_row(
                "SELECT seq FROM comments WHERE job_id = ?1 AND id = ?2",
                params![job_id, id],
                |row| row.get(0),
            )
            .optional()?,
        None => None,
    };
    match after {
        Some(seq) => conn
            .prepare(
                "SELECT seq, id, kind, body FROM comments
                 WHERE job_id = ?1 AND seq > ?2 AND deleted_at IS NULL ORDER BY seq LIMIT ?3",
            )?
            .query_map(params![job_id, seq, COMMENTS_KEPT], read_sequenced)?
            .collect(),
        None => {
            let mut latest: Vec<Sequenced> = conn
                .prepare(
                    "SELECT seq, id, kind, body FROM comments
                     WHERE job_id = ?1 AND deleted_at IS NULL ORDER BY seq DESC LIMIT ?2",
                )?
                .query_map(params![job_id, COMMENTS_KEPT], read_sequenced)?
                .collect::<rusqlite::Result<_>>()?;
            latest.reverse();
            Ok(latest)
        }
    }
}

/// Every stored comment id of a job that is not deleted, oldest first (for tests comparing with
/// what a client saw).
pub fn comment_ids(conn: &Connection, job_id: &str) -> rusqlite::Result<Vec<String>> {
    conn.prepare(
        "SELECT id FROM comments WHERE job_id = ?1 AND kind = 'comment' AND deleted_at IS NULL ORDER BY seq",
    )?
    .query_map(params![job_id], |row| row.get(0))?
    .collect()
}
