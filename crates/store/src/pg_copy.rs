//! Statements read through PostgreSQL's `COPY … TO STDOUT`, on a connection of their own.
//!
//! A statement that hands over a million rows costs the driver more (a message and a decode
//! per row) than the database spends reading them; `COPY` sends them as one stream instead.
//! Downloads read it in the text format (`report_stream`); the dashboard reads numbers in the
//! binary format, which PostgreSQL writes without printing them and we read without parsing
//! text: [`BinaryTuples`].

use std::ops::{Deref, DerefMut};

use futures_util::StreamExt;
use sqlx::Connection;
use sqlx::postgres::{PgConnectOptions, PgConnection};
use tokio::sync::OwnedSemaphorePermit;

use crate::db::Store;
use crate::error::StoreError;

impl Store {
    /// A connection of its own for a `COPY` (a long read must not hold one of the pool's),
    /// set up as the pool's are, with standard string literals (a `COPY` takes no parameters,
    /// so its values are written into the statement). At most [`crate::COPY_CONNECTIONS`]
    /// are open at once; another waits for one to close.
    pub(crate) async fn copy_connection(&self) -> Result<CopyConnection, StoreError> {
        let permit = self
            .copy_slots
            .clone()
            .acquire_owned()
            .await
            .map_err(|_| StoreError::Unavailable("no connection for the reading; try again"))?;
        let options = PgConnectOptions::try_from(&*self.pool.connect_options())?;
        let mut conn = PgConnection::connect_with(&options).await?;
        sqlx::Executor::execute(
            &mut conn,
            format!(
                "{}; SET standard_conforming_strings = on",
                crate::dialect::POSTGRES_CONNECTION
            )
            .as_str(),
        )
        .await?;
        Ok(CopyConnection {
            conn,
            _permit: permit,
        })
    }

    /// Every row of `select` (whose values are written in it), in `COPY`'s binary format,
    /// handed to `row` as it arrives.
    pub(crate) async fn copy_binary(
        &self,
        select: &str,
        mut row: impl FnMut(&Tuple<'_>) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        let mut conn = self.copy_connection().await?;
        let copy = format!("COPY ({select}) TO STDOUT WITH (FORMAT binary)");
        let mut tuples = BinaryTuples::default();
        {
            let mut stream = conn.copy_out_raw(&copy).await?;
            while let Some(bytes) = stream.next().await {
                tuples.feed(&bytes?, &mut row)?;
            }
        }
        tuples.finish()?;
        conn.conn.close().await?;
        Ok(())
    }
}

/// A connection for a `COPY`, holding its place among [`crate::COPY_CONNECTIONS`] until it
/// is dropped.
pub(crate) struct CopyConnection {
    conn: PgConnection,
    _permit: OwnedSemaphorePermit,
}

impl Deref for CopyConnection {
    type Target = PgConnection;
    fn deref(&self) -> &PgConnection {
        &self.conn
    }
}

impl DerefMut for CopyConnection {
    fn deref_mut(&mut self) -> &mut PgConnection {
        &mut self.conn
    }
}

/// The signature a binary `COPY` begins with.
const SIGNATURE: &[u8; 11] = b"PGCOPY\n\xff\r\n\0";

/// Binary `COPY` data read as it streams in: a header, then tuples of length-prefixed fields,
/// then a trailer. A tuple split across two pieces of the stream is read when its end arrives.
#[derive(Debug, Default)]
pub(crate) struct BinaryTuples {
    pending: Vec<u8>,
    header_read: bool,
    ended: bool,
    /// Each field of the tuple being read: where its bytes lie in `pending` (none: NULL).
    fields: Vec<Option<(usize, usize)>>,
}

/// One tuple's fields.
pub(crate) struct Tuple<'a> {
    data: &'a [u8],
    fields: &'a [Option<(usize, usize)>],
}

impl Tuple<'_> {
    fn bytes(&self, i: usize) -> Result<Option<&[u8]>, StoreError> {
        match self.fields.get(i) {
            Some(Some((start, end))) => Ok(self.data.get(*start..*end)),
            Some(None) => Ok(None),
            None => Err(StoreError::Corrupt(format!(
                "a COPY row of {} fields has no field {i}",
                self.fields.len()
            ))),
        }
    }

    /// Field `i` as a `bigint` (NULL: none).
    pub(crate) fn int8(&self, i: usize) -> Result<Option<i64>, StoreError> {
        self.bytes(i)?
            .map(|b| {
                <[u8; 8]>::try_from(b)
                    .map(i64::from_be_bytes)
                    .map_err(|_| StoreError::Corrupt(format!("a COPY bigint of {} bytes", b.len())))
            })
            .transpose()
    }

    /// Field `i` as text (NULL: none).
    pub(crate) fn text(&self, i: usize) -> Result<Option<&str>, StoreError> {
        self.bytes(i)?
            .map(|b| {
                std::str::from_utf8(b)
                    .map_err(|_| StoreError::Corrupt("a COPY text that is not UTF-8".into()))
            })
            .transpose()
    }
}

fn be_i32(b: &[u8], at: usize) -> Option<i32> {
    b.get(at..at + 4)
        .and_then(|s| <[u8; 4]>::try_from(s).ok())
        .map(i32::from_be_bytes)
}

fn be_i16(b: &[u8], at: usize) -> Option<i16> {
    b.get(at..at + 2)
        .and_then(|s| <[u8; 2]>::try_from(s).ok())
        .map(i16::from_be_bytes)
}

impl BinaryTuples {
    /// Reads `bytes`, handing each tuple they complete to `row`.
    pub(crate) fn feed(
        &mut self,
        bytes: &[u8],
        row: &mut impl FnMut(&Tuple<'_>) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        self.pending.extend_from_slice(bytes);
        let mut at = 0;
        if !self.header_read {
            // Signature, flags, and the length of a header extension to skip.
            let Some(extension) = be_i32(&self.pending, SIGNATURE.len() + 4) else {
                return Ok(());
            };
            if !self.pending.starts_with(SIGNATURE) {
                return Err(StoreError::Corrupt("not binary COPY data".into()));
            }
            let extension = usize::try_from(extension)
                .map_err(|_| StoreError::Corrupt("a COPY header of negative length".into()))?;
            let start = SIGNATURE.len() + 8 + extension;
            if self.pending.len() < start {
                return Ok(());
            }
            self.header_read = true;
            at = start;
        }
        while !self.ended {
            let Some(count) = be_i16(&self.pending, at) else {
                break;
            };
            if count == -1 {
                self.ended = true;
                at += 2;
                break;
            }
            let count = usize::try_from(count)
                .map_err(|_| StoreError::Corrupt(format!("a COPY row of {count} fields")))?;
            self.fields.clear();
            let mut next = at + 2;
            let mut whole = true;
            for _ in 0..count {
                let Some(len) = be_i32(&self.pending, next) else {
                    whole = false;
                    break;
                };
                next += 4;
                if len == -1 {
                    self.fields.push(None);
                    continue;
                }
                let len = usize::try_from(len)
                    .map_err(|_| StoreError::Corrupt(format!("a COPY field of {len} bytes")))?;
                if self.pending.len() < next + len {
                    whole = false;
                    break;
                }
                self.fields.push(Some((next, next + len)));
                next += len;
            }
            if !whole {
                break;
            }
            row(&Tuple {
                data: &self.pending,
                fields: &self.fields,
            })?;
            at = next;
        }
        self.pending.drain(..at);
        Ok(())
    }

    /// Checks that the data ended with its trailer and nothing after it.
    pub(crate) fn finish(&self) -> Result<(), StoreError> {
        if !self.ended {
            return Err(StoreError::Corrupt("binary COPY data ended inside".into()));
        }
        if !self.pending.is_empty() {
            return Err(StoreError::Corrupt(
                "binary COPY data goes on after its end".into(),
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    #[allow(clippy::unwrap_used, clippy::expect_used)]
    async fn copy_connections_are_bounded_and_handed_on() {
        use std::time::Duration;
        let Some(db) = crate::testing::TestDb::fresh(crate::Backend::Postgres).await else {
            return;
        };
        let store = Store::connect(&db.url).await.unwrap();
        let mut held = Vec::new();
        for _ in 0..crate::COPY_CONNECTIONS {
            held.push(store.copy_connection().await.unwrap());
        }
        // Every place taken: the next waits.
        let waiting = tokio::spawn({
            let store = store.clone();
            async move { store.copy_connection().await.map(|_| ()) }
        });
        tokio::time::sleep(Duration::from_millis(300)).await;
        assert!(!waiting.is_finished(), "a fifth connection opened");
        // One closes: the waiting one gets its place, and reads.
        held.pop();
        tokio::time::timeout(Duration::from_secs(10), waiting)
            .await
            .expect("the waiting reading never got a connection")
            .unwrap()
            .unwrap();
        drop(held);
        let mut sum = 0;
        store
            .copy_binary("SELECT generate_series(1, 1000)::bigint", |t| {
                sum += t.int8(0)?.unwrap_or(0);
                Ok(())
            })
            .await
            .unwrap();
        assert_eq!(sum, 500_500);
        store.close().await;
        db.remove().await;
    }

    /// The binary COPY of `rows` (each field an int8, text, or NULL), with a header
    /// extension of `extension` bytes.
    fn copy_of(rows: &[Vec<Option<Value>>], extension: usize) -> Vec<u8> {
        let mut out = SIGNATURE.to_vec();
        out.extend_from_slice(&0i32.to_be_bytes());
        out.extend_from_slice(&(extension as i32).to_be_bytes());
        out.extend(std::iter::repeat_n(7u8, extension));
        for row in rows {
            out.extend_from_slice(&(row.len() as i16).to_be_bytes());
            for field in row {
                match field {
                    None => out.extend_from_slice(&(-1i32).to_be_bytes()),
                    Some(Value::Int(v)) => {
                        out.extend_from_slice(&8i32.to_be_bytes());
                        out.extend_from_slice(&v.to_be_bytes());
                    }
                    Some(Value::Text(t)) => {
                        out.extend_from_slice(&(t.len() as i32).to_be_bytes());
                        out.extend_from_slice(t.as_bytes());
                    }
                }
            }
        }
        out.extend_from_slice(&(-1i16).to_be_bytes());
        out
    }

    #[derive(Debug, Clone, PartialEq)]
    enum Value {
        Int(i64),
        Text(String),
    }

    fn rows() -> Vec<Vec<Option<Value>>> {
        vec![
            vec![
                Some(Value::Int(1_764_547_200_000)),
                Some(Value::Text("kakao".into())),
                None,
            ],
            vec![
                Some(Value::Int(-5)),
                Some(Value::Text("네이버 톡톡".into())),
                Some(Value::Int(i64::MAX)),
            ],
            vec![None, Some(Value::Text(String::new())), Some(Value::Int(0))],
        ]
    }

    /// One row read back: a number, a text, a number, each perhaps NULL.
    type Row = (Option<i64>, Option<String>, Option<i64>);

    /// The rows read back from `data` fed in pieces of `piece` bytes.
    fn read(data: &[u8], piece: usize) -> Result<Vec<Row>, StoreError> {
        let mut tuples = BinaryTuples::default();
        let mut got = Vec::new();
        let mut row = |t: &Tuple<'_>| {
            got.push((t.int8(0)?, t.text(1)?.map(str::to_owned), t.int8(2)?));
            Ok(())
        };
        for part in data.chunks(piece.max(1)) {
            tuples.feed(part, &mut row)?;
        }
        tuples.finish()?;
        Ok(got)
    }

    #[test]
    fn rows_read_back_whatever_the_pieces() {
        for extension in [0, 5] {
            let data = copy_of(&rows(), extension);
            for piece in [1, 2, 3, 7, 19, data.len()] {
                let got = read(&data, piece).unwrap();
                assert_eq!(
                    got,
                    vec![
                        (Some(1_764_547_200_000), Some("kakao".into()), None),
                        (Some(-5), Some("네이버 톡톡".into()), Some(i64::MAX)),
                        (None, Some(String::new()), Some(0)),
                    ],
                    "pieces of {piece}, extension {extension}"
                );
            }
        }
    }

    #[test]
    fn broken_data_is_refused() {
        let data = copy_of(&rows(), 0);
        // Cut before the trailer, or inside a row.
        for cut in [data.len() - 2, data.len() - 5, 20] {
            assert!(read(&data[..cut], 4).is_err(), "cut at {cut}");
        }
        // Something after the trailer.
        let mut more = data.clone();
        more.push(0);
        assert!(read(&more, 64).is_err());
        // Not COPY data at all.
        assert!(read(b"id\tname\n1\tkim\n\\.\n", 64).is_err());
        // A field asked for that the row does not have, or of the wrong size.
        let mut tuples = BinaryTuples::default();
        let mut missing = |t: &Tuple<'_>| t.int8(3).map(|_| ());
        assert!(tuples.feed(&data, &mut missing).is_err());
        let mut tuples = BinaryTuples::default();
        let mut text_as_int = |t: &Tuple<'_>| t.int8(1).map(|_| ());
        assert!(tuples.feed(&data, &mut text_as_int).is_err());
        let bad_utf8 = copy_of(&[vec![Some(Value::Text("가".into()))]], 0);
        let mut cut_char = bad_utf8.clone();
        // Keep the length (3) but spoil the character's last byte.
        let pos = cut_char.len() - 3;
        cut_char[pos] = 0xff;
        let mut tuples = BinaryTuples::default();
        let mut as_text = |t: &Tuple<'_>| t.text(0).map(|_| ());
        assert!(tuples.feed(&cut_char, &mut as_text).is_err());
    }
}
